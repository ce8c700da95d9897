"""What falls around a model turn's audio: input pieces, function calls, late items, and the
`turnComplete` forms, for `turns.Conductor` (a mixin sharing its state).

Where each item falls is `scatter.schedule`'s draw; `late.Deferred` holds late pieces back on
models without `interactionStatus`. Also the small types the conductor shares with its
connection (`session.LiveSession`) and reader (`inbound.Inbound`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
from typing import Any, NamedTuple, Protocol

from tutor.emulator import wire
from tutor.emulator.behaviour import Behaviour
from tutor.emulator.dialogue import TurnPlan, notes_of
from tutor.emulator.late import Deferred
from tutor.emulator.records import SessionRecord
from tutor.emulator.scatter import Call, Piece, Schedule, schedule
from tutor.emulator.setup import LiveConfig

log = logging.getLogger(__name__)

TOOL_TIMEOUT = 10.0
# ASSUMPTION: a proactive model (3.8: proactive audio always on) does not answer a sound this
# short ("the model can reject responding ... stay silent if the user did not make a request,
# yet", SDK `ProactivityConfig`); it completes the turn waiting for more (turnCompleteReason
# NEED_MORE_INPUT, waitingForInput: "it expects the user to continue talking").
MIN_SPEECH_MS = 200


class SessionOver(Exception):
    """The connection is closed or closing; unwind without sending anything else."""


class Trigger(NamedTuple):
    kind: str  # "text" (typed or client content), "audio" (end of speech), "tool" (a result),
    # "context" (a contextUpdate, applied in its place in the queue; no turn of its own)
    text: str = ""
    speech_ms: float = 1e9  # "audio": how long the learner's sound was loud
    update: dict[str, Any] | None = None  # "context": the checked contextUpdate body


class _Hub(Protocol):
    @property
    def behaviour(self) -> Behaviour: ...


class Link(Protocol):
    """What the conductor needs from its connection (`session.LiveSession`)."""

    record: SessionRecord
    rng: random.Random  # this connection's draws

    @property
    def hub(self) -> _Hub: ...

    async def send(self, message: dict[str, Any]) -> None: ...
    async def between_turns(self, completed: int) -> None: ...
    def mid_turn_due(self, completed: int) -> bool: ...
    async def fire(self) -> None: ...


class Extras:
    """The conductor's attributes this mixin uses."""

    link: Link
    config: LiveConfig
    extras: Schedule
    pending: dict[str, asyncio.Future[Any]]
    calls: dict[str, Call]
    deferred: Deferred
    barge: asyncio.Event

    def _held_back(self, late: list[Piece | Call]) -> list[Piece | Call]:
        """On models without interactionStatus, the late pieces may wait for the learner's
        next input (`late.py`); the rest goes out after turnComplete."""
        pieces = [item for item in late if isinstance(item, Piece)]
        behaviour = self.link.hub.behaviour
        if not pieces or self._reports_status() or behaviour.orderly:
            return late
        if self.link.rng.random() >= behaviour.deferred_chance:
            return late
        self.deferred.hold(pieces, behaviour.late_seconds)
        self.link.record.deferred_pieces += len(pieces)
        return [item for item in late if not isinstance(item, Piece)]

    async def _send_piece(self, piece: Piece) -> None:
        with contextlib.suppress(SessionOver):
            await self.link.send(piece.message())

    def _ignores(self, trigger: Trigger) -> bool:
        """A proactive model (3.8) does not answer a sound too short to be a request."""
        return (
            trigger.kind == "audio"
            and trigger.speech_ms < MIN_SPEECH_MS
            and self._reports_status()
            and not self.orderly
        )

    def _need_more_input(self) -> dict[str, Any]:
        return wire.server_content(
            turnComplete=True,
            turnCompleteReason="NEED_MORE_INPUT",
            waitingForInput=True,
            interactionStatus="IDLE",
        )

    def _schedule(self, plan: TurnPlan, chunks: int, *, typed: bool) -> Schedule:
        heard = plan.heard
        if typed and not self.orderly and self.link.rng.random() < 0.3:
            heard = None  # typed text is not promised to come back as a transcription (§10)
        calls = [
            Call(name, args, self.config.tools[name] != "NON_BLOCKING")
            for name, args in notes_of(plan)
            if args and name in self.config.tools
        ]
        return schedule(self.link.rng, self.orderly, heard, calls, chunks)

    @property
    def orderly(self) -> bool:
        return self.link.hub.behaviour.orderly

    def _reports_status(self) -> bool:
        # ASSUMPTION: the 3.8 models send interactionStatus (the SDK: "always sent alongside
        # turn_complete"); 2.5 and 3.1 predate the field.
        return self.config.model.startswith("gemini-3.8")

    def _turn_complete(self, *, idle: bool) -> dict[str, Any]:
        if not self._reports_status():
            return wire.server_content(turnComplete=True)
        status = "IDLE" if idle else "IN_PROGRESS"
        return wire.server_content(turnComplete=True, interactionStatus=status)

    async def _send_slot(self, slot: int) -> bool:
        """Send what falls in `slot`; False if the learner barged in on a BLOCKING call."""
        return await self._send_items(self.extras.take(slot), slot)

    async def _send_items(self, items: list[Piece | Call], slot: int) -> bool:
        for item in items:
            if isinstance(item, Piece):
                await self.link.send(item.message())
            elif not await self._call(item.name, item.args, self.extras.where(slot)):
                return False
        return True

    async def _call(self, name: str, args: dict[str, str], where: str = "before") -> bool:
        """Send one function call; for BLOCKING ones wait for its response (or a barge-in,
        or TOOL_TIMEOUT). False means the learner barged in."""
        call_id = f"fc-{secrets.token_hex(6)}"
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending[call_id] = future
        await self.link.send(wire.tool_call(call_id, name, args))
        self.calls[call_id] = Call(name, args, self.config.tools[name] != "NON_BLOCKING")
        turn = len(self.link.record.learner_turns) - 1  # the learner turn it is about
        self.link.record.tool_calls_sent.append(
            {"id": call_id, "name": name, "args": args, "learner_turn": turn, "where": where}
        )
        if self.config.tools[name] == "NON_BLOCKING":
            return True
        barge = asyncio.ensure_future(self.barge.wait())
        try:
            await asyncio.wait(
                {future, barge}, timeout=TOOL_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            barge.cancel()
        if self.barge.is_set():
            return False
        if self.pending.pop(call_id, None) is not None:
            log.warning("no toolResponse for %s within %ss; carrying on", name, TOOL_TIMEOUT)
        return True
