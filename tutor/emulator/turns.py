"""Model turns: the sequence of server messages for one tutor reply, one turn at a time.

Skeleton per turn (docs/gemini-live.md §4.4): blocking toolCall(s) and their toolResponse,
modelTurn audio interleaved with outputTranscription, generationComplete, turnComplete +
usageMetadata (+ `interactionStatus` on 3.8). The inputTranscription pieces and NON_BLOCKING
calls fall around it as `scatter.schedule` draws them from the connection's seeded `rng`:
before, between chunks, after the audio, or after turnComplete (then, on 3.8, that turnComplete
says IN_PROGRESS and a second one says IDLE; on 2.5 and 3.1 they may wait for the learner's next
input, `late.py`). A barge-in ends the turn with the input pieces not sent yet, interrupted,
turnComplete and a toolCallCancellation for unanswered calls. The answer to a NON_BLOCKING call
may make the tutor speak again, by its `scheduling` (`scheduling.py`); a proactive model (3.8)
does not answer a sound too short to be a request (`Extras._ignores`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets
from typing import Any

from tutor.emulator import wire
from tutor.emulator.dialogue import (
    DialogueState,
    TurnPlan,
    apply_instruction,
    plan_greeting,
    plan_spoken,
    plan_typed,
)
from tutor.emulator.extras import Extras, Link, SessionOver, Trigger
from tutor.emulator.late import Deferred
from tutor.emulator.scatter import Call, Schedule
from tutor.emulator.scheduling import SPEAKS, about
from tutor.emulator.setup import LiveConfig, declared_functions, instruction_text
from tutor.emulator.voice import synthesize

__all__ = ["CHUNK_BYTES", "WPM", "Conductor", "SessionOver", "Trigger"]

log = logging.getLogger(__name__)

OUTPUT_RATE = 24000
CHUNK_SECONDS = 0.2
CHUNK_BYTES = int(OUTPUT_RATE * CHUNK_SECONDS) * 2  # 9,600 bytes, like the real server
WPM = {"A": 140, "B": 160, "C": 175}  # slower speech for beginners
SLOW = 0.75  # a repeat the learner asked for (`TurnPlan.slow`)


class Conductor(Extras):
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
        self.calls: dict[str, Call] = {}  # every call sent, by id
        self.deferred = Deferred(self._send_piece)

    # Called by the reader.

    def enqueue(self, trigger: Trigger) -> None:
        self.queue.put_nowait(trigger)

    def speech_started(self) -> None:
        self.deferred.input_began()
        if self.active and self.config.interrupts:
            self.barge.set()

    def barge_in(self) -> None:
        self.deferred.input_began()
        if self.active:
            self.barge.set()

    def answer(self, call_id: str, response: Any, scheduling: str = "WHEN_IDLE") -> None:
        self.link.record.tool_calls_answered.append(call_id)
        self.link.record.tool_responses.append({"id": call_id, "scheduling": scheduling})
        future = self.pending.pop(call_id, None)
        if future is None:
            log.info("toolResponse for unknown call id %s ignored", call_id)
        elif not future.done():
            future.set_result(response)
        call = self.calls.get(call_id)
        if call is None or call.blocking or scheduling not in SPEAKS:
            return  # scheduling is ignored for BLOCKING calls; SILENT only adds to the context
        said = about(self.state.lang, call.name, call.args)
        if said is None:
            return
        if scheduling == "INTERRUPT":
            self.barge_in()  # a reply in flight is cut; the result is spoken about at once
        self.enqueue(Trigger("tool", said))

    def apply_context(self, update: dict[str, Any]) -> None:
        """A contextUpdate's turn in the queue: the new instruction replaces the setup's (the
        room, for a group instruction, is read from it again); new tools replace the old."""
        self.link.record.context_updates += 1
        if "systemInstruction" in update:
            text = instruction_text(update["systemInstruction"])
            self.config = dataclasses.replace(self.config, instruction=text)
            apply_instruction(self.state, text)
        if "tools" in update:
            tools = declared_functions(update["tools"].get("tools"), self.config.model)
            self.config = dataclasses.replace(self.config, tools=tools)

    async def issue_handle(self) -> None:
        handle = secrets.token_urlsafe(18)
        self.handles[handle] = self.state.snapshot()
        self.link.record.handles_issued.append(handle)
        await self.link.send(wire.resumption_update(handle))

    # The conductor task.

    async def run(self) -> None:
        try:
            while True:
                trigger = await self.queue.get()
                if trigger.kind == "context":
                    self.apply_context(trigger.update or {})
                else:
                    await self.turn(trigger)
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
        if trigger.kind == "tool":  # the model speaks about a result (`scheduling`)
            self.state.history.append(["tutor", trigger.text])
            return TurnPlan(None, None, None, trigger.text, trigger.text)
        if not self.state.greeted:
            return plan_greeting(self.state)
        if trigger.kind == "text":
            return plan_typed(self.state, trigger.text)
        return plan_spoken(self.state)

    async def _respond(self, trigger: Trigger) -> None:
        await self.deferred.before_turn()  # one input stream: the last turn's words first
        if self.config.resumption:  # mid-turn the real server reports "not resumable"
            await self.link.send(wire.resumption_update(None))
        if self._ignores(trigger):
            await self.link.send(self._need_more_input())
            return
        plan = self._plan(trigger)
        wpm = WPM.get(self.state.band, 160)
        if plan.slow:  # "más despacio": the last line again, at three quarters of the pace
            wpm = round(wpm * SLOW)
        pcm = await asyncio.to_thread(
            synthesize, plan.say, self.state.lang, OUTPUT_RATE, wpm, self.config.voice
        )
        chunks = [pcm[i : i + CHUNK_BYTES] for i in range(0, len(pcm), CHUNK_BYTES)]
        self.extras = self._schedule(plan, len(chunks), typed=trigger.kind == "text")
        if plan.heard is not None:
            self.link.record.learner_turns.append(plan.heard)
            room = self.state.group
            self.link.record.learner_speakers.append(room.previous if room else None)
        if not await self._send_slot(0):
            await self._interrupted("")
            return
        spoken, finished = await self._speak(chunks, plan.reply)
        if not finished or not await self._send_slot(len(chunks)):
            await self._interrupted(spoken)
            return
        await self.link.send(wire.server_content(generationComplete=True))
        usage = wire.usage(self._prompt_tokens(), max(1, len(pcm) * 25 // (OUTPUT_RATE * 2)))
        late = self._held_back(self.extras.take(self.extras.late))
        await self.link.send({**self._turn_complete(idle=not late), "usageMetadata": usage})
        self.link.record.tutor_turns.append(plan.reply)
        if late:  # after turnComplete: late transcription, late NON_BLOCKING calls
            await self._send_items(late, self.extras.late)
            if self._reports_status():
                await self.link.send(self._turn_complete(idle=True))

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
