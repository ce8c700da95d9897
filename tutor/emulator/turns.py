"""Model turns: the sequence of server messages for one tutor reply, one turn at a time.

Skeleton per turn (docs/gemini-live.md §4.4): blocking toolCall(s) and their toolResponse,
modelTurn audio interleaved with outputTranscription, generationComplete, turnComplete +
usageMetadata (+ `interactionStatus` on 3.8). The inputTranscription pieces and NON_BLOCKING
calls fall around it as `scatter.schedule` draws them from the connection's seeded `rng`:
before, between chunks, after the audio, or after turnComplete (then, on 3.8, that turnComplete
says IN_PROGRESS and a second one says IDLE). A barge-in ends the turn with the input pieces
not sent yet, interrupted, turnComplete and a toolCallCancellation for unanswered calls.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
from typing import Any, NamedTuple, Protocol

from tutor.emulator import wire
from tutor.emulator.behaviour import Behaviour
from tutor.emulator.dialogue import (
    DialogueState,
    TurnPlan,
    plan_greeting,
    plan_spoken,
    plan_typed,
)
from tutor.emulator.records import SessionRecord
from tutor.emulator.scatter import Call, Piece, Schedule, schedule
from tutor.emulator.setup import LiveConfig
from tutor.emulator.voice import synthesize

log = logging.getLogger(__name__)

OUTPUT_RATE = 24000
CHUNK_SECONDS = 0.2
CHUNK_BYTES = int(OUTPUT_RATE * CHUNK_SECONDS) * 2  # 9,600 bytes, like the real server
TOOL_TIMEOUT = 10.0
WPM = {"A": 140, "B": 160, "C": 175}  # slower speech for beginners


class SessionOver(Exception):
    """The connection is closed or closing; unwind without sending anything else."""


class Trigger(NamedTuple):
    kind: str  # "text" (typed or client content) or "audio" (end of speech)
    text: str = ""


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


class Conductor:
    def __init__(
        self,
        link: Link,
        config: LiveConfig,
        state: DialogueState,
        handles: dict[str, DialogueState],
        pace: float,
    ) -> None:
        self.link, self.config, self.state = link, config, state
        self.handles, self.pace = handles, pace
        self.queue: asyncio.Queue[Trigger] = asyncio.Queue()
        self.barge = asyncio.Event()
        self.active = False
        self.pending: dict[str, asyncio.Future[Any]] = {}
        self.completed = 0
        self.extras = Schedule(0)

    # Called by the reader.

    def enqueue(self, trigger: Trigger) -> None:
        self.queue.put_nowait(trigger)

    def speech_started(self) -> None:
        if self.active and self.config.interrupts:
            self.barge.set()

    def barge_in(self) -> None:
        if self.active:
            self.barge.set()

    def answer(self, call_id: str, response: Any) -> None:
        self.link.record.tool_calls_answered.append(call_id)
        future = self.pending.pop(call_id, None)
        if future is None:
            log.info("toolResponse for unknown call id %s ignored", call_id)
        elif not future.done():
            future.set_result(response)

    async def issue_handle(self) -> None:
        handle = secrets.token_urlsafe(18)
        self.handles[handle] = self.state.snapshot()
        self.link.record.handles_issued.append(handle)
        await self.link.send(wire.resumption_update(handle))

    # The conductor task.

    async def run(self) -> None:
        try:
            while True:
                await self.turn(await self.queue.get())
        except SessionOver:
            pass

    async def turn(self, trigger: Trigger) -> None:
        self.active = True
        self.barge.clear()
        try:
            await self._respond(trigger)
        finally:
            self.active = False
        self.completed += 1
        if self.config.resumption:
            await self.issue_handle()
        await self.link.between_turns(self.completed)

    def _plan(self, trigger: Trigger) -> TurnPlan:
        if not self.state.greeted:
            return plan_greeting(self.state)
        if trigger.kind == "text":
            return plan_typed(self.state, trigger.text)
        return plan_spoken(self.state)

    async def _respond(self, trigger: Trigger) -> None:
        if self.config.resumption:  # mid-turn the real server reports "not resumable"
            await self.link.send(wire.resumption_update(None))
        plan = self._plan(trigger)
        wpm = WPM.get(self.state.band, 160)
        pcm = await asyncio.to_thread(synthesize, plan.say, self.state.lang, OUTPUT_RATE, wpm)
        chunks = [pcm[i : i + CHUNK_BYTES] for i in range(0, len(pcm), CHUNK_BYTES)]
        self.extras = self._schedule(plan, len(chunks), typed=trigger.kind == "text")
        if plan.heard is not None:
            self.link.record.learner_turns.append(plan.heard)
        if not await self._send_slot(0):
            await self._interrupted("")
            return
        spoken, finished = await self._speak(chunks, plan.reply)
        if not finished or not await self._send_slot(len(chunks)):
            await self._interrupted(spoken)
            return
        await self.link.send(wire.server_content(generationComplete=True))
        usage = wire.usage(self._prompt_tokens(), max(1, len(pcm) * 25 // (OUTPUT_RATE * 2)))
        late = self.extras.take(self.extras.late)
        await self.link.send({**self._turn_complete(idle=not late), "usageMetadata": usage})
        self.link.record.tutor_turns.append(plan.reply)
        if late:  # after turnComplete: late transcription, late NON_BLOCKING calls
            await self._send_items(late, self.extras.late)
            if self._reports_status():
                await self.link.send(self._turn_complete(idle=True))

    def _schedule(self, plan: TurnPlan, chunks: int, *, typed: bool) -> Schedule:
        heard = plan.heard
        if typed and not self.orderly and self.link.rng.random() < 0.3:
            heard = None  # typed text is not promised to come back as a transcription (§10)
        calls = [
            Call(name, args, self.config.tools[name] != "NON_BLOCKING")
            for name, args in (("note_correction", plan.correction), ("note_phrase", plan.phrase))
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

    async def _speak(self, chunks: list[bytes], reply: str) -> tuple[str, bool]:
        """Stream the reply; return (transcript sent, whether it finished uninterrupted)."""
        pieces = wire.fragments(reply, len(chunks))
        slots = {round(i * len(chunks) / len(pieces)): p for i, p in enumerate(pieces)}
        loop = asyncio.get_running_loop()
        start, spoken = loop.time(), ""
        for index, chunk in enumerate(chunks):
            if index == len(chunks) // 2 and self.link.mid_turn_due(self.completed):
                await self.link.fire()
            due = start + index * CHUNK_SECONDS * self.pace
            if await self._barged_within(due - loop.time()):
                return spoken, False
            if index and not await self._send_slot(index):
                return spoken, False
            await self._send_audio(chunk, slots.get(index))
            spoken += slots.get(index, "")
            self.link.record.audio_bytes_out += len(chunk)
        return spoken, True

    async def _barged_within(self, seconds: float) -> bool:
        if seconds <= 0:
            await asyncio.sleep(0)  # let the reader run between chunks even at pace 0
            return self.barge.is_set()
        try:
            await asyncio.wait_for(self.barge.wait(), seconds)
        except TimeoutError:
            return False
        return True

    async def _send_audio(self, chunk: bytes, text: str | None) -> None:
        turn = {"parts": [wire.audio_part(chunk)]}
        caption = wire.transcription(text) if text else None
        # 2.5 native audio sends one part per event; 3.x may combine audio and transcript.
        if self.config.model.startswith("gemini-2.5"):
            await self.link.send(wire.server_content(modelTurn=turn))
            if caption:
                await self.link.send(wire.server_content(outputTranscription=caption))
        elif caption:
            await self.link.send(wire.server_content(modelTurn=turn, outputTranscription=caption))
        else:
            await self.link.send(wire.server_content(modelTurn=turn))

    async def _interrupted(self, spoken: str) -> None:
        for piece in self.extras.take_pieces():  # the utterance's own words come first
            await self.link.send(piece.message())
        await self.link.send(wire.server_content(interrupted=True))
        await self.link.send(self._turn_complete(idle=True))
        if self.pending:
            await self.link.send({"toolCallCancellation": {"ids": list(self.pending)}})
            for future in self.pending.values():
                future.cancel()
            self.pending.clear()
        self.link.record.interrupted_turns += 1
        if spoken:
            self.link.record.tutor_turns.append(spoken)

    def _prompt_tokens(self) -> int:
        text = len(self.config.instruction) + sum(len(t) for _, t in self.state.history)
        return 20 + text // 4
