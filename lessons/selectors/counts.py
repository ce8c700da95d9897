"""How many corrections and phrases a conversation noted: one definition for every page that
shows them (the review page's header and sidebar, the history list, the teacher's transcript).

A correction counts on the conversation whose turn it corrects. A phrase counts on every
conversation that noted it (`Phrase.noted_in`), including one that noted a card the learner
already had from an earlier conversation: the deck keeps one card per text, but the record of
each conversation still says what was noted in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from lessons.models import Conversation, Correction, Phrase


def _count(rows: QuerySet[Any], key: str) -> Coalesce:
    counted = rows.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def with_counts(conversations: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate correction_count and phrase_count: one subquery each, per conversation."""
    corrections = Correction.objects.filter(turn__conversation=OuterRef("pk"))
    phrases = Phrase.noted_in.through.objects.filter(conversation=OuterRef("pk"))
    return conversations.annotate(
        correction_count=_count(corrections, "turn__conversation"),
        phrase_count=_count(phrases, "conversation"),
    )


@dataclass(frozen=True)
class NotedPhrase:
    phrase: Phrase
    earlier: bool  # the card was first made in an earlier conversation


def noted_phrases(conversation: Conversation) -> list[NotedPhrase]:
    """The cards this conversation noted, oldest card first, each marked if it is older than
    this conversation (noted again, not new)."""
    phrases = conversation.noted_phrases.order_by("created_at", "pk")
    return [
        NotedPhrase(phrase, phrase.conversation_id not in (None, conversation.pk))
        for phrase in phrases
    ]


def counts_of(conversation: Conversation) -> tuple[int, int]:
    """(corrections, phrases) of one conversation, for a page that did not annotate it."""
    annotated = with_counts(Conversation.objects.filter(pk=conversation.pk)).values_list(
        "correction_count", "phrase_count"
    )
    return annotated.get()
