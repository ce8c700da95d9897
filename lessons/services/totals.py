"""A conversation's running totals of its turns, corrections and upgrades: the learner's words,
each speaker's turn time, the corrections of each kind and the upgrades, kept on the
conversation row as turns and corrections are stored or amended, so that pages summing a whole
history (the progress page) read one row per conversation instead of every turn and correction.

`conversations_recount` rebuilds them from the rows, for rows written without the services
(bulk loads); migrations 0007 and 0008 did the same for rows from before the columns existed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from lessons.models import Conversation, Correction, Turn, Upgrade, correction_count_field
from lessons.words import word_count_sql

LEARNER = Turn.Speaker.LEARNER
TUTOR = Turn.Speaker.TUTOR
# Which time total each speaker's turns add to. A peer's line (another learner in a group
# conversation) is neither this learner's words nor the tutor's time: it adds to nothing.
_TIME_FIELD: dict[str, str] = {LEARNER: "learner_turn_ms", TUTOR: "tutor_turn_ms"}


def _words(text: str) -> Any:
    return word_count_sql(F("language"), Value(text))


def turn_counted(turn: Turn) -> None:
    """Add a newly stored turn to its conversation's totals (in the caller's transaction)."""
    ms = turn.ended_ms - turn.started_ms
    field = _TIME_FIELD.get(turn.speaker)
    if field is None:
        return
    changes: dict[str, Any] = {field: F(field) + ms}
    if turn.speaker == LEARNER:
        changes["learner_words"] = F("learner_words") + _words(turn.text)
    Conversation.objects.filter(pk=turn.conversation_id).update(**changes)


def turn_recounted(before: Turn, text: str, ended_ms: int) -> None:
    """A stored turn's text and end changed (late transcription): move the totals by the
    difference. Never below zero, even for a row whose totals were never counted."""
    ms = ended_ms - before.ended_ms
    field = _TIME_FIELD.get(before.speaker)
    if field is None:
        return
    changes: dict[str, Any] = {field: Greatest(F(field) + ms, 0)}
    if before.speaker == LEARNER:
        delta = _words(text) - _words(before.text)
        changes["learner_words"] = Greatest(F("learner_words") + delta, 0)
    Conversation.objects.filter(pk=before.conversation_id).update(**changes)


def correction_counted(correction: Correction, conversation_id: UUID) -> None:
    """Add a newly stored correction to its conversation's totals."""
    field = correction_count_field(correction.kind)
    Conversation.objects.filter(pk=conversation_id).update(**{field: F(field) + 1})


def upgrade_counted(conversation_id: UUID) -> None:
    """Add a newly stored upgrade to its conversation's totals."""
    Conversation.objects.filter(pk=conversation_id).update(upgrades=F("upgrades") + 1)


def _upgrade_count() -> Coalesce:
    rows = (
        Upgrade.objects.filter(turn__conversation=OuterRef("pk"))
        .order_by()
        .values("turn__conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0, output_field=IntegerField())


def _correction_count(kind: str) -> Coalesce:
    rows = (
        Correction.objects.filter(turn__conversation=OuterRef("pk"), kind=kind)
        .order_by()
        .values("turn__conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0, output_field=IntegerField())


def _turn_sum(expression: Any, speaker: str) -> Coalesce:
    rows = (
        Turn.objects.filter(conversation=OuterRef("pk"), speaker=speaker)
        .order_by()
        .values("conversation_id")
        .annotate(total=Sum(expression))
        .values("total")
    )
    return Coalesce(Subquery(rows), 0, output_field=IntegerField())


def conversations_recount(conversation_ids: Iterable[UUID]) -> int:
    """Rebuild the totals of these conversations from their turns, corrections and upgrades;
    returns the rows updated."""
    duration = F("ended_ms") - F("started_ms")
    kinds = {correction_count_field(kind): _correction_count(kind) for kind in Correction.Kind}
    return Conversation.objects.filter(pk__in=list(conversation_ids)).update(
        learner_words=_turn_sum(word_count_sql(OuterRef("language")), LEARNER),
        learner_turn_ms=_turn_sum(duration, LEARNER),
        tutor_turn_ms=_turn_sum(duration, TUTOR),
        upgrades=_upgrade_count(),
        **kinds,
    )
