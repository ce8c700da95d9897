"""Starting, recording and finishing conversations. Every write a conversation makes goes here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.lti import grades
from lessons.models import Assignment, Conversation, Topic, Turn
from lessons.services.cards import (
    conversation_attach_trials,
    conversation_record_correction,
    conversation_record_phrase,
    conversation_record_upgrade,
)
from lessons.services.limits import LimitExceeded, check_start_rate, trial_refusal
from lessons.services.sweep import conversation_heartbeat
from lessons.services.totals import turn_counted, turn_recounted

if TYPE_CHECKING:
    from accounts.models import User

# The card services moved to lessons.services.cards; callers may still import them from here.
__all__ = [
    "TEXT_LIMIT",
    "FinishStats",
    "LimitExceeded",
    "conversation_amend_turn",
    "conversation_attach_trials",
    "conversation_finish",
    "conversation_history",
    "conversation_mark_first_activity",
    "conversation_next_ordinal",
    "conversation_record_correction",
    "conversation_record_phrase",
    "conversation_record_turn",
    "conversation_record_upgrade",
    "conversation_set_upstream",
    "conversation_start",
]

TEXT_LIMIT = 4000  # characters kept per turn; a transcript line longer than this is noise


@dataclass(frozen=True)
class FinishStats:
    learner_seconds: float = 0.0
    tutor_seconds: float = 0.0
    reconnects: int = 0
    prompt_tokens: int = 0
    response_tokens: int = 0
    total_tokens: int = 0
    latency_p50_ms: int | None = None
    latency_p95_ms: int | None = None
    degraded: bool = False


def conversation_start(
    *,
    learner: User | None,
    topic: Topic | None = None,
    assignment: Assignment | None = None,
    session_key: str = "",
    ip: str | None = None,
    language: str | None = None,
    level: str | None = None,
    kind: str = Conversation.Kind.PRACTICE,
) -> Conversation:
    """A new conversation for a learner, or an anonymous trial tied to `session_key`."""
    if assignment is not None:
        topic = assignment.topic
    if learner is None:
        if not session_key:
            raise LimitExceeded(_("Your browser must accept cookies to try Tertulia."))
        refusal = trial_refusal(session_key=session_key, ip=ip)
        if refusal:
            raise LimitExceeded(refusal)
    else:
        check_start_rate(learner, ip)
    style = (assignment.correction_style if assignment else "") or (
        topic.correction_style if topic else ""
    )
    conversation = Conversation(
        learner=learner,
        trial_session_key="" if learner else session_key,
        trial_ip=None if learner else ip,
        start_ip=ip if learner else None,
        topic=topic,
        assignment=assignment,
        language=_language(topic, learner, language),
        level=level or (learner.level if learner else (topic.level_min if topic else "A1")),
        correction_style=style or (learner.correction_style if learner else "recast"),
        kind=kind,
    )
    conversation.full_clean()
    conversation.save()
    return conversation


def _language(topic: Topic | None, learner: User | None, requested: str | None) -> str:
    if topic is not None:
        return topic.language
    if requested:
        return requested
    return learner.target_language if learner is not None else "es"


def conversation_set_upstream(*, conversation_id: UUID, model: str, voice: str) -> None:
    Conversation.objects.filter(pk=conversation_id).update(model=model, voice=voice)


def conversation_mark_first_activity(*, conversation_id: UUID) -> Conversation:
    """Start the trial clock at the first audio (or typed message) the server receives. Only
    the first call sets it: reconnects and other processes see the same start."""
    now = timezone.now()
    Conversation.objects.filter(pk=conversation_id, first_audio_at__isnull=True).update(
        first_audio_at=now
    )
    return Conversation.objects.get(pk=conversation_id)


def conversation_record_turn(
    *,
    conversation_id: UUID,
    speaker: str,
    text: str,
    started_ms: int = 0,
    ended_ms: int = 0,
    interrupted: bool = False,
    source: str = Turn.Source.SPEECH,
    ordinal: int | None = None,
    speaker_name: str = "",
) -> Turn:
    """Store a turn. The live runtime passes the `ordinal` it assigned, which makes a retried
    write idempotent (a write that committed but whose reply was lost is not stored twice);
    the HTTP fallback passes none and gets the next free ordinal under a row lock.
    `speaker_name`: another learner's name, for a `peer` turn of a group conversation."""
    started_ms = max(0, int(started_ms))
    conversation_heartbeat(conversation_id=conversation_id)  # a stored turn is a sign of life
    turn = Turn(
        conversation_id=conversation_id,
        speaker=speaker,
        speaker_name=speaker_name[:150],
        text=text.strip()[:TEXT_LIMIT],
        started_ms=started_ms,
        ended_ms=max(started_ms, int(ended_ms)),
        interrupted=interrupted,
        source=source,
    )
    if ordinal is None:
        return _append_turn(turn)
    turn.ordinal = ordinal
    turn.full_clean(exclude=["conversation"], validate_unique=False)
    try:
        with transaction.atomic():
            turn.save()
            turn_counted(turn)
    except IntegrityError:
        existing = Turn.objects.get(conversation_id=conversation_id, ordinal=ordinal)
        if (existing.speaker, existing.text) != (turn.speaker, turn.text):
            raise
        return existing
    return turn


def conversation_amend_turn(
    *, conversation_id: UUID, ordinal: int, text: str, started_ms: int = 0, ended_ms: int = 0
) -> None:
    """Complete a stored turn's text: the live transcription of one utterance may finish after
    the tutor has answered (tutor/live/turns.py). The row keeps its ordinal and its notes."""
    text, started_ms = text.strip()[:TEXT_LIMIT], max(0, int(started_ms))
    ended_ms = max(started_ms, int(ended_ms))
    with transaction.atomic():
        turn = (
            Turn.objects.select_for_update()
            .filter(conversation_id=conversation_id, ordinal=ordinal)
            .first()
        )
        if turn is None:
            return
        turn_recounted(turn, text, ended_ms)
        Turn.objects.filter(pk=turn.pk).update(text=text, ended_ms=ended_ms)


@transaction.atomic
def _append_turn(turn: Turn) -> Turn:
    Conversation.objects.select_for_update().only("pk").get(pk=turn.conversation_id)
    last = Turn.objects.filter(conversation_id=turn.conversation_id).aggregate(m=Max("ordinal"))
    turn.ordinal = 0 if last["m"] is None else last["m"] + 1
    turn.full_clean(exclude=["conversation"], validate_unique=False)
    turn.save()
    turn_counted(turn)
    return turn


def conversation_next_ordinal(*, conversation_id: UUID) -> int:
    last = Turn.objects.filter(conversation_id=conversation_id).aggregate(m=Max("ordinal"))["m"]
    return 0 if last is None else last + 1


def conversation_finish(
    *,
    conversation_id: UUID,
    reason: str,
    stats: FinishStats | None = None,
    failed: bool = False,
    ended_at: datetime | None = None,
) -> Conversation:
    """End a conversation once; later calls only add statistics that grew. `ended_at`: when it
    really ended, if not now (an abandoned one ends when its learner left)."""
    stats = stats or FinishStats()
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
        if conversation.status == Conversation.Status.ACTIVE:
            conversation.status = (
                Conversation.Status.FAILED if failed else Conversation.Status.ENDED
            )
            conversation.ended_at = max(ended_at or timezone.now(), conversation.started_at)
            conversation.end_reason = reason[:40]
        merge_stats(conversation, stats)
        conversation.save()
        grades.after_finish(conversation)  # a course's gradebook, if it came from one
    return conversation


def merge_stats(conversation: Conversation, stats: FinishStats) -> None:
    """Keep the larger of each stored and given figure: a runtime's figures only grow, and
    one that took the conversation over starts from the stored ones."""
    conversation.learner_seconds = max(conversation.learner_seconds, stats.learner_seconds)
    conversation.tutor_seconds = max(conversation.tutor_seconds, stats.tutor_seconds)
    conversation.reconnect_count = max(conversation.reconnect_count, stats.reconnects)
    conversation.prompt_tokens = max(conversation.prompt_tokens, stats.prompt_tokens)
    conversation.response_tokens = max(conversation.response_tokens, stats.response_tokens)
    conversation.total_tokens = max(conversation.total_tokens, stats.total_tokens)
    if stats.latency_p50_ms is not None:
        conversation.latency_p50_ms = stats.latency_p50_ms
        conversation.latency_p95_ms = stats.latency_p95_ms
    conversation.degraded = conversation.degraded or stats.degraded


def conversation_history(*, conversation_id: UUID, limit: int = 60) -> list[tuple[str, str]]:
    """The last `limit` turns as (speaker, text), oldest first: context for the text fallback."""
    rows = list(
        Turn.objects.filter(conversation_id=conversation_id)
        .order_by("-ordinal")
        .values_list("speaker", "text")[:limit]
    )
    return rows[::-1]
