"""A conversation moving between server processes: what the one letting go stores, and what
the one taking over reads (tutor.conversation.handover, docs/ARCHITECTURE.md).

The process letting go has drained its writes before `conversation_hand_over`; the one taking
over calls `conversation_take_over` only once it holds the lease, so it reads every turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from lessons.models import Conversation
from lessons.services.conversations import (
    FinishStats,
    conversation_history,
    conversation_next_ordinal,
    merge_stats,
)

HISTORY_LIMIT = 10_000  # every stored turn: a fresh session is told the whole conversation


@dataclass(frozen=True)
class Takeover:
    active: bool
    history: list[tuple[str, str]]
    next_ordinal: int
    handle: str | None  # resume from it; None: start fresh from `history`
    first_audio_at: datetime | None
    stats: FinishStats


def conversation_hand_over(
    *, conversation_id: UUID, handle: str | None, handle_turns: int, stats: FinishStats
) -> None:
    """Store the Live session's handle (None: none covers every turn) and the figures so far."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
        conversation.live_handle = handle or ""
        conversation.live_handle_turns = handle_turns if handle else None
        conversation.last_activity_at = timezone.now()  # a hand-over is a sign of life
        merge_stats(conversation, stats)
        conversation.save()


def conversation_take_over(*, conversation_id: UUID) -> Takeover:
    """What a new owner starts from. The handle is taken (cleared) so that it is used once,
    and only if no turn was stored after it: otherwise the resumed session would not know
    those turns, and the transcript is the better start."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
        next_ordinal = conversation_next_ordinal(conversation_id=conversation_id)
        handle = conversation.live_handle or None
        if handle is not None and conversation.live_handle_turns != next_ordinal:
            handle = None
        if conversation.live_handle:
            conversation.live_handle, conversation.live_handle_turns = "", None
            conversation.save(update_fields=["live_handle", "live_handle_turns"])
    return Takeover(
        active=conversation.status == Conversation.Status.ACTIVE,
        history=conversation_history(conversation_id=conversation_id, limit=HISTORY_LIMIT),
        next_ordinal=next_ordinal,
        handle=handle,
        first_audio_at=conversation.first_audio_at,
        stats=FinishStats(
            learner_seconds=conversation.learner_seconds,
            tutor_seconds=conversation.tutor_seconds,
            reconnects=conversation.reconnect_count,
            prompt_tokens=conversation.prompt_tokens,
            response_tokens=conversation.response_tokens,
            total_tokens=conversation.total_tokens,
            degraded=conversation.degraded,
        ),
    )
