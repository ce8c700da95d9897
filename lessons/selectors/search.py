"""Full-text search over a learner's own transcripts, stemmed in each conversation's language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import (
    SearchConfig,
    SearchHeadline,
    SearchQuery,
    SearchVectorField,
)
from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
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


class TsVector(Func):
    """to_tsvector(config, text). Not Django's SearchVector: it keeps its config outside its
    source expressions, so inside a subquery the config's table alias is not relabelled and
    the subquery silently becomes correlated with the outer query (quadratic time)."""

    function = "to_tsvector"
    output_field = SearchVectorField()

    def __init__(self, text: Any, config: Any) -> None:
        super().__init__(SearchConfig(config), text)


def ts_config(language: str = "conversation__language") -> Case:
    """The regconfig name for the conversation's language, as an SQL expression."""
    whens = [When(**{language: code}, then=Value(cfg)) for code, cfg in TS_CONFIGS.items()]
    return Case(*whens, default=Value("simple"))


def _query(text: str, config: Any = None) -> SearchQuery:
    # websearch syntax: quotes for phrases, "or", and -word; never a syntax error.
    return SearchQuery(text, config=config or ts_config(), search_type="websearch")


class _Matches(Func):
    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


def matching_turns(
    turns: QuerySet[Any], text: str, languages: Iterable[str] = TS_CONFIGS
) -> QuerySet[Any]:
    """Turns matching `text` stemmed in their conversation's language. One branch per
    language, each with a constant configuration, so PostgreSQL parses the query once per
    language and uses that language's GIN index (migration 0002), not to_tsvector per row.
    Name the `languages` the conversations can be in: fewer branches, simpler plans."""
    condition = Q(pk__in=[])
    for code in languages:
        config = TS_CONFIGS.get(code, "simple")
        vector = TsVector(F("text"), Value(config))
        condition |= Q(conversation__language=code) & Q(_Matches(vector, _query(text, config)))
    return turns.filter(condition)


def conversations_matching(
    conversations: QuerySet[Any], text: str, languages: Iterable[str] = TS_CONFIGS
) -> QuerySet[Any]:
    """Conversations with at least one turn matching `text` in their own language."""
    turns = matching_turns(Turn.objects.filter(conversation__in=conversations), text, languages)
    return conversations.filter(pk__in=turns.values("conversation_id"))


def snippets_for(
    conversation_ids: list[Any], text: str, languages: Iterable[str] = TS_CONFIGS
) -> dict[Any, list[Snippet]]:
    """The first few matching turns of each conversation, with the matches marked."""
    turns = Turn.objects.filter(conversation_id__in=conversation_ids)
    ranked = matching_turns(turns, text, languages)
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
