""" "Say it better" in a live conversation: what the runtime does with an `UpgradeNoted`.

A mixin of `tutor.conversation.tutor_events.TutorEventHandlers` (and so of the runtime). An
upgrade follows a correction's path: it waits for its line's words if they have not arrived,
is stored against the learner turn it is about (`lessons.services.conversations`, which also
makes its deck card) and shown to the page as an `upgrade` event with the same word diff a
correction carries. At most one per learner turn: the bridge refuses a second call
(`tutor.live.turns.TurnAssembler.note`); a second that still reaches here (a line id lost to a
reconnection) is dropped, and the database holds the rule too (`Upgrade`'s constraint).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from lessons.services import conversations as services
from tutor.conversation.feedback import correction_diff
from tutor.live import events as ev

logger = logging.getLogger(__name__)


def upgrade_frame(event: ev.UpgradeNoted, turn: int, language: str) -> dict[str, Any]:
    """The page's `upgrade` event (also the typed fallback's `upgrades` items)."""
    return {
        "type": "upgrade",
        "turn": turn,
        "original": event.original,
        "upgraded": event.upgraded,
        "explanation": event.explanation,
        "diff": correction_diff(event.original, event.upgraded, language),
    }


class UpgradeHandlers:
    """The attributes are `ConversationRuntime`'s."""

    id: UUID
    language: str
    _line_seqs: dict[int, int]
    _turn_ids: dict[int, int]
    _held_notes: dict[int, list[Any]]
    _persist: Callable[..., None]
    _send: Callable[[dict[str, Any]], Awaitable[None]]
    _activity: Callable[[str], Awaitable[None]]
    _note_seq: Callable[[int | None], int | None]

    async def _upgrade(self, event: ev.UpgradeNoted) -> None:
        if event.line is not None and event.line not in self._line_seqs:
            # Its line's words have not arrived yet (tutor/live/turns.py): wait for them.
            self._held_notes.setdefault(event.line, []).append(event)
            return
        seq = self._note_seq(event.line)
        upgraded: set[int] = self.__dict__.setdefault("_upgraded_turns", set())
        if seq is None or seq in upgraded:
            logger.info("conversation %s: upgrade without a learner turn, or a second", self.id)
            return
        upgraded.add(seq)
        self._persist(
            self._record_upgrade,
            seq=seq,
            original=event.original,
            upgraded=event.upgraded,
            explanation=event.explanation,
        )
        await self._activity("noted")
        await self._send(upgrade_frame(event, seq, self.language))

    def _record_upgrade(self, *, seq: int, **fields: Any) -> None:
        turn_id = self._turn_ids.get(seq)
        if turn_id is not None:
            services.conversation_record_upgrade(turn_id=turn_id, **fields)
