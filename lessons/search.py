"""Full-text search over a learner's own transcripts, stemmed in each conversation's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVector
from django.db.models import Case, F, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import RowNumber

from lessons.models import Turn

# PostgreSQL text-search configurations per target language. Japanese has no stemmer in core
# PostgreSQL and no spaces between words, so "simple" only finds whole space-separated tokens.
TS_CONFIGS = {
    "es": "spanish",
    "fr": "french",
    "de": "german",
    "it": "italian",
    "pt": "portuguese",
    "en": "english",
    "ja": "simple",
}
# ts_headline marks matches with these; control characters never occur in a transcript, so the
# snippet can be HTML-escaped as plain text and the marks turned into <mark> in the template.
_START, _STOP = "\x02", "\x03"
SNIPPETS_PER_CONVERSATION = 2


@dataclass(frozen=True)
class Snippet:
    speaker: str
    ordinal: int
    parts: list[tuple[bool, str]]  # (is a match, text), in order


def ts_config(language: str = "conversation__language") -> Case:
    """The regconfig name for the conversation's language, as an SQL expression."""
    whens = [When(**{language: code}, then=Value(cfg)) for code, cfg in TS_CONFIGS.items()]
    return Case(*whens, default=Value("simple"))


def _query(text: str) -> SearchQuery:
    # websearch syntax: quotes for phrases, "or", and -word; never a syntax error.
    return SearchQuery(text, config=ts_config(), search_type="websearch")


def matching_turns(turns: QuerySet[Any], text: str) -> QuerySet[Any]:
    vector = SearchVector("text", config=ts_config())
    return turns.annotate(search_vector=vector).filter(search_vector=_query(text))


def conversations_matching(conversations: QuerySet[Any], text: str) -> QuerySet[Any]:
    """Conversations with at least one turn matching `text` in their own language."""
    turns = matching_turns(Turn.objects.filter(conversation__in=conversations), text)
    return conversations.filter(pk__in=turns.values("conversation_id"))


def snippets_for(conversation_ids: list[Any], text: str) -> dict[Any, list[Snippet]]:
    """The first few matching turns of each conversation, with the matches marked."""
    ranked = matching_turns(Turn.objects.filter(conversation_id__in=conversation_ids), text)
    ranked = ranked.annotate(
        rank=Window(RowNumber(), partition_by=F("conversation_id"), order_by=F("ordinal").asc())
    ).filter(rank__lte=SNIPPETS_PER_CONVERSATION)
    headline = SearchHeadline(
        "text", _query(text), config=ts_config(), start_sel=_START, stop_sel=_STOP, max_words=30
    )
    rows = (
        Turn.objects.filter(pk__in=Subquery(ranked.values("pk")))
        .annotate(headline=headline)
        .order_by("conversation_id", "ordinal")
        .values_list("conversation_id", "speaker", "ordinal", "headline")
    )
    found: dict[Any, list[Snippet]] = {}
    for conversation_id, speaker, ordinal, marked in rows:
        found.setdefault(conversation_id, []).append(Snippet(speaker, ordinal, split_marks(marked)))
    return found


def split_marks(marked: str) -> list[tuple[bool, str]]:
    """Split a headline into (is a match, text) parts: "a <b> c" gives a, b (match), c."""
    before, *chunks = marked.split(_START)
    parts = [(False, before)]
    for chunk in chunks:
        match, _, rest = chunk.partition(_STOP)
        parts += [(True, match), (False, rest)]
    return [(is_match, text) for is_match, text in parts if text]
