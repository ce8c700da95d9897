"""A conversation's deadlines: the trial clock, from the learner's first audio or typed line,
and the longest a signed-in learner's conversation may run (CONVERSATION_MAX_SECONDS).

A mixin of `tutor.conversation.runtime.ConversationRuntime`, which owns the state and the
helpers declared below; the timer task is `_limit`, stopped with the others by `_stop_timers`
(`tutor.conversation.handover`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from lessons.services import conversations as services
from tutor.conversation import protocol


class Deadlines:
    """The trial clock and the time limit; the attributes are `ConversationRuntime`'s."""

    id: UUID
    trial: bool
    _started_at: datetime
    _first_activity_at: datetime | None
    _limit: asyncio.Task[None] | None
    _send: Callable[[dict[str, Any]], Awaitable[None]]
    _persist: Callable[..., None]
    finish: Callable[..., Awaitable[None]]
    # A shorter limit for this conversation (a placement's few minutes), and what the page
    # says when it is reached; None: CONVERSATION_MAX_SECONDS and the usual words.
    max_seconds: float | None = None
    # In English, marked for the catalog; translated as the frame leaves for each socket (lazy:
    # this clock runs outside any request, so nothing is active here but English).
    limit_message: str = gettext_noop(
        "That's the longest a conversation can run. Start a new one to keep practising."
    )

    def trial_seconds_left(self) -> float | None:
        if not self.trial:
            return None
        if self._first_activity_at is None:
            return float(settings.TRIAL_SECONDS)
        used = (timezone.now() - self._first_activity_at).total_seconds()
        return max(0.0, settings.TRIAL_SECONDS - used)

    def _mark_first_activity(self) -> None:
        """Start the trial clock here and now; the database learns it through the write queue
        (only its first value counts there), so an outage cannot stall or crash the audio."""
        self._first_activity_at = timezone.now()
        self._persist(services.conversation_mark_first_activity, conversation_id=self.id)
        self._schedule_limits()

    def _schedule_limits(self) -> None:
        """The trial deadline (from the first activity) or the maximum conversation length."""
        if self._limit is not None:
            self._limit.cancel()
        if self.trial and self._first_activity_at is not None:
            left = self.trial_seconds_left() or 0.0
            self._limit = asyncio.create_task(self._expire(left, "trial_over"))
        elif not self.trial:
            elapsed = (timezone.now() - self._started_at).total_seconds()
            longest = self.max_seconds or settings.CONVERSATION_MAX_SECONDS
            left = max(0.0, longest - elapsed)
            self._limit = asyncio.create_task(self._expire(left, "time_limit"))

    async def _expire(self, delay: float, reason: str) -> None:
        await asyncio.sleep(delay)
        if reason == "trial_over":
            await self._send({"type": "trial_ended", "signupUrl": "/accounts/signup/"})
            await self.finish(reason, close_code=protocol.CLOSE_TRIAL_OVER)
        else:
            await self._send(
                {"type": "error", "code": "time_limit", "message": gettext_lazy(self.limit_message)}
            )
            await self.finish(reason, close_code=protocol.CLOSE_TRIAL_OVER)
