"""One open group room in this process: one Live session for two to four learners.

A `ConversationRuntime` whose sink is a `Fanout` of the members' sockets and whose lines are
written to every member's conversation (`lessons.services.groups`), so the pump, the turn
assembly, captions, the writer, the lease and the deadlines are the conversation's. What
differs is here:

- learner audio goes through the `Floor`: only the holder's goes upstream, and when the floor
  passes, the tutor is told who speaks now (a Live `contextUpdate` with the group prompt and the
  room's state) before the new holder's audio. The floor passes only while no learner line is
  open upstream (`LiveTutor.learner_line_open`), so each line is one member's;
- each learner line is attributed to the member whose voiced audio went up last when its
  words arrived (the floor holder), by the assembler's line id; the tutor's notes go with their
  line to that member's copy only, and their frames only to that member's page;
- the room ends when its creator presses End, when everyone has been gone for the reconnect
  grace, or at the conversation time limit. A member whose socket closes leaves the room after
  the grace (`group_leave`), unless they came back.

Group audio is never kept (`STORE_LEARNER_AUDIO`): one recording would hold several voices.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import datetime
from typing import Any
from uuid import UUID

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from lessons.models import GroupRoom
from lessons.services import conversations as conversation_services
from lessons.services import groups as services
from lessons.services import sweep
from tutor import metrics
from tutor.audio.resample import is_silence
from tutor.conversation import memory, protocol
from tutor.conversation.runtime import (
    ABANDONED,
    LEARNER_BYTES_PER_SECOND,
    ConversationRuntime,
    Sink,
)
from tutor.group.fanout import Fanout, Member
from tutor.group.floor import Floor, FloorGranted, FloorReleased, QueueChanged, Step
from tutor.group.upstream import Instruction
from tutor.live import events as ev
from tutor.live.session import LiveTutor

logger = logging.getLogger(__name__)

# A learner line whose words never came (noise the model did not transcribe) must not hold
# the floor for ever: after this long without speech upstream it counts as closed.
LINE_OPEN_AT_MOST_S = 8.0
# An answer whose turnComplete never came (a dropped connection) must not hold the floor for
# ever either: this long after the tutor's last sound or word, it counts as done.
ANSWER_AT_MOST_S = 6.0
NOTES_FOR_SPEAKER = frozenset({"correction", "upgrade", "phrase"})


def _ended_elsewhere(room_id: UUID) -> bool:
    return GroupRoom.objects.filter(pk=room_id, status=GroupRoom.Status.ENDED).exists()


def lease_key(room_id: UUID) -> str:
    """A room's lease (tutor.conversation.ownership): the same stores as conversations."""
    return f"room:{room_id}"


class GroupRuntime(ConversationRuntime):
    def __init__(
        self,
        *,
        room_id: UUID,
        created_by: int,
        started_at: datetime,
        tutor: LiveTutor,
        members: list[Member],
        instruction: Instruction,
        language: str = "",
        target_phrases: tuple[str, ...] = (),
        next_line: int = 0,
    ) -> None:
        super().__init__(
            conversation_id=room_id,
            started_at=started_at,
            trial=False,
            first_activity_at=started_at,  # no trial clock; the time limit runs from the start
            tutor=tutor,
            language=language,
            target_phrases=target_phrases,
            # The room's line numbers (`turn` on every page) go on from the lines stored
            # before a takeover: a page that reconnected still shows those, by number.
            next_ordinal=next_line,
        )
        self._voice = None
        self.created_by = created_by
        self.members = {m.id: m for m in members}
        self.fanout = Fanout()
        self.floor = Floor()
        self._instruction = instruction
        self._line_speakers: dict[int, int] = {}  # learner line id -> member id
        self._seq_speakers: dict[int, int] = {}  # room line ordinal -> member id
        self._copies: dict[int, dict[int, int]] = {}  # room ordinal -> each copy's
        self._voiced_by: int | None = None  # whose voiced audio went upstream last
        self._voiced_at = 0.0
        self._leaving: dict[int, asyncio.Task[None]] = {}
        self._typed_from_afar_at = 0.0  # monotonic: the last line typed over HTTP (relay.py)
        self._typed_from_afar_on: datetime | None = None  # the same, on the wall clock
        self._first_audio: set[int] = set()
        self._told_open = False  # what the floor was last told of the line upstream
        # The tutor is answering (from its first word or sound to turnComplete): the floor
        # stays with the holder until then, so a queued member's buffered words do not cut
        # the answer (and the note on the holder's line that comes with it) short.
        self._answering_at: float | None = None
        # A spoken line's length is the speech the floor sent up for it (its member's voiced
        # floor time since their last line), not the spread of its transcription's arrival,
        # which stretched one member's lines by a third in a five-minute demo: the talk-time
        # shares the teacher sees are these lengths.
        self._talk_given: dict[int, int] = {}  # member -> floor talk time given to lines
        self._line_talk: dict[int, int] = {}  # room line ordinal -> its voiced ms
        self._announced: int | None = None  # the speaker the tutor was last told of
        self._clock: asyncio.Task[None] | None = None
        self._floor_turn = asyncio.Lock()

    # -- members ------------------------------------------------------------------------

    def carry_talk(self, talk_ms: dict[int, int]) -> None:
        """A room taken over from a process that died: each member's stored talk time, so the
        shares the tutor is told (and each new line's length) go on from it."""
        self.floor.carry(talk_ms)
        for member, ms in talk_ms.items():
            self._talk_given[member] = self._talk_given.get(member, 0) + ms

    def add_member(self, member: Member) -> None:
        self.members.setdefault(member.id, member)

    def attach_member(self, member_id: int, sink: Sink) -> Sink | None:
        """`sink` is the member's socket now; returns the one it replaces (a second tab)."""
        leaving = self._leaving.pop(member_id, None)
        if leaving is not None:
            leaving.cancel()
        old = self.fanout.sinks.get(member_id)
        self.fanout.sinks[member_id] = sink
        self.members[member_id].present = True
        self.attach(self.fanout)  # cancels the room's grace, starts the heartbeat
        return old if old is not sink else None

    def detach(self, sink: Any, *, leaving: bool = False) -> None:
        """`sink`'s page went away: its member leaves after the grace (or at once when they
        left on purpose, `leaving`), unless they come back first."""
        member = self.fanout.member_of(sink)
        if member is None:
            return
        del self.fanout.sinks[member]
        self._spawn(self._member_left_floor(member))
        if not self.ended:
            grace = 0.0 if leaving else settings.RECONNECT_GRACE_SECONDS
            self._leaving[member] = asyncio.create_task(self._leave_after(member, grace))
        if not self.fanout:
            super().detach(self.fanout)  # nobody left: the room ends after the grace

    async def _leave_after(self, member: int, grace: float) -> None:
        await asyncio.sleep(grace)
        self._leaving.pop(member, None)
        self.members[member].present = False
        self._persist(services.group_leave, room_id=self.id, learner_id=member)
        await self.send_presence()

    def typed_from_afar(self) -> None:
        """A member typed over HTTP (tutor.group.relay): someone is still in the room."""
        self._typed_from_afar_at = time.monotonic()
        self._typed_from_afar_on = timezone.now()

    async def _grace_then_finish(self) -> None:
        """Nobody came back. A room whose tutor never started (its pages only listened: no
        Talk, no typed line) is not over: this process lets it go, lease and all, and the
        next page to open builds it again; one that started ends as abandoned, once a whole
        grace has passed with no socket and no line typed over HTTP either (a member whose
        WebSockets are blocked is in the room as long as they type)."""
        if self._started:
            grace = settings.RECONNECT_GRACE_SECONDS
            wait: float = grace
            while wait > 0:  # each line typed over HTTP meanwhile moves the end on
                await asyncio.sleep(wait)
                wait = self._typed_from_afar_at + grace - time.monotonic()
            ends = [t for t in (self._left_at, self._typed_from_afar_on) if t is not None]
            await self.finish(ABANDONED, ended_at=max(ends) if ends else None)
            return
        await asyncio.sleep(settings.RECONNECT_GRACE_SECONDS)
        async with self._finishing:
            if self.ended or self._started:
                return
            self.ended = True
            self._stop_timers()
            if self._clock is not None:
                self._clock.cancel()
            # Those still waiting out their own grace leave now, as they would have.
            for member, task in list(self._leaving.items()):
                task.cancel()
                self.members[member].present = False
                self._persist(services.group_leave, room_id=self.id, learner_id=member)
            self._leaving.clear()
            await self.writer.close()
            await self._let_go()
            logger.info("room %s: nobody listening, let go before it started", self.id)

    async def send_presence(self) -> None:
        cards = [m.card() for m in self.members.values()]
        await self._send({"type": "presence", "members": cards})

    def floor_frame(self) -> dict[str, Any]:
        return {"type": "floor", "holder": self.floor.holder, "queue": self.floor.queue}

    def instruction(self, speaking: int | None = None) -> str:
        """The group prompt with the room's state now (tutor.prompts.group); `speaking`: who
        the tutor is told speaks now, the floor's holder unless a member typed."""
        members = list(self.members.values())
        floor = self.floor
        holder = floor.holder if speaking is None else speaking
        return self._instruction(members, holder, floor.queue, dict(floor.talk_ms))

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        if self._started:
            return
        self._started = True
        metrics.conversation_opened(self)
        for member in self.members.values():
            self._persist(
                conversation_services.conversation_set_upstream,
                conversation_id=member.conversation_id,
                model=self.tutor.model,
                voice=self.tutor.voice,
            )
        await self.tutor.start()
        self._pump = asyncio.create_task(self._run_pump(), name=f"pump-room-{self.id}")
        self._clock = asyncio.create_task(self._floor_clock(), name=f"floor-{self.id}")
        self._schedule_limits()

    async def _heartbeat(self) -> None:
        """Every member's conversation is alive while the room runs, theirs too who are away:
        the room's lines still go into it, so the sweep must not end it. And a room its
        teacher ended from their page (no socket of theirs here) ends here too."""
        while not self.ended:
            for member in self.members.values():
                self._persist(sweep.conversation_heartbeat, conversation_id=member.conversation_id)
            await asyncio.sleep(settings.CONVERSATION_HEARTBEAT_SECONDS)
            if await database_sync_to_async(_ended_elsewhere)(self.id):
                self._spawn(self.finish("ended_by_host", close_code=protocol.CLOSE_NORMAL))
                return

    # -- input from the members ---------------------------------------------------------

    def _now_ms(self) -> int:
        return int((time.monotonic() - self._t0) * 1000)

    async def member_audio(self, member: int, pcm16_16k: bytes) -> None:
        if self.ended:
            return
        await self.start()  # a page's Talk starts it first; audio from a listener may not
        # One floor step at a time, its audio sent before the next is decided: a new
        # holder's buffered words must reach the tutor before their live frames.
        async with self._floor_turn:
            await self._floor_line()
            await self._floor_step(self.floor.frame(member, pcm16_16k, self._now_ms()))

    async def _floor_line(self) -> None:
        """Tell the floor whether a learner line is open upstream (only then may it pass)."""
        is_open = self._line_open()
        if is_open != self._told_open:
            self._told_open = is_open
            await self._floor_step(self.floor.line_open(is_open, self._now_ms()))

    async def _floor_clock(self) -> None:
        """Time passes for the floor between frames too: a hold runs out, a line closes."""
        while not self.ended:
            await asyncio.sleep(0.1)
            async with self._floor_turn:
                await self._floor_line()
                await self._floor_step(self.floor.tick(self._now_ms()))

    async def _member_left_floor(self, member: int) -> None:
        async with self._floor_turn:
            await self._floor_step(self.floor.leave(member, self._now_ms()))

    def _line_open(self) -> bool:
        now = time.monotonic()
        answering = self._answering_at is not None and now - self._answering_at < ANSWER_AT_MOST_S
        if answering:
            return True
        if now - self._voiced_at > LINE_OPEN_AT_MOST_S:
            return False
        return self.tutor.learner_line_open

    async def _floor_step(self, step: Step) -> None:
        """Pages hear of the floor first; then the audio goes up, and before the first chunk
        of a new holder's the tutor is told who speaks now (a contextUpdate, in order with
        the audio)."""
        if any(isinstance(e, FloorGranted | FloorReleased | QueueChanged) for e in step.events):
            await self._send(self.floor_frame())
        for chunk in step.forward:
            if chunk.member_id != self._announced:
                self._announced = chunk.member_id
                await self.tutor.update_instruction(self.instruction())
            await self._upstream(chunk.member_id, chunk.pcm)

    async def _upstream(self, member: int, pcm: bytes) -> None:
        """The floor holder's audio, as `learner_audio` sends one learner's."""
        if member not in self._first_audio:
            self._first_audio.add(member)
            self._persist(
                conversation_services.conversation_mark_first_activity,
                conversation_id=self.members[member].conversation_id,
            )
        if not is_silence(pcm, threshold_dbfs=-45.0):
            self.stats.learner_audio(len(pcm) / LEARNER_BYTES_PER_SECOND)
            self._voiced_by, self._voiced_at = member, time.monotonic()
            # Before it goes upstream, as for one learner (`ConversationRuntime`).
            self.tutor.heard_speech()
        await self.tutor.send_audio(pcm)

    async def member_paused(self, member: int) -> None:
        """A member muted. The holder's utterance has ended (`audioStreamEnd`, as for one
        learner), so their line closes and the floor can pass; anyone else's mute changes
        nothing upstream."""
        if not self.ended and member == self.floor.holder:
            await self.tutor.end_audio()

    async def member_text(self, member: int, text: str) -> None:
        """A typed line: the member's own, whoever holds the floor."""
        if self.ended:
            return
        await self.start()  # likewise: the tutor must be there to read it
        now = time.monotonic()
        line = self.tutor.typed_line(text)
        self._line_speakers[line] = member
        final = ev.Transcript("learner", text, True, started_at=now, ended_at=now, line=line)
        await self._final_transcript(final, source="typed")
        # A typed line takes no floor, so nothing else tells the tutor whose it is: without
        # this it answered a typist by the last speaker's name. In the floor's order (its
        # lock), so the holder's next audio is announced as theirs again.
        async with self._floor_turn:
            if member != self._announced:
                self._announced = member
                await self.tutor.update_instruction(self.instruction(speaking=member))
            await self.tutor.send_text(text, registered=True)

    # -- attribution --------------------------------------------------------------------

    def _speaker_of(self, line: int | None) -> int | None:
        if line is None:
            return self._voiced_by
        if line not in self._line_speakers and self._voiced_by is not None:
            self._line_speakers[line] = self._voiced_by
        return self._line_speakers.get(line)

    def _who(self, member: int | None) -> dict[str, Any] | None:
        if member is None or member not in self.members:
            return None
        return {"id": member, "name": self.members[member].name}

    async def _partial_transcript(self, event: ev.Transcript) -> None:
        if event.speaker == "tutor":
            await super()._partial_transcript(event)
            return
        caption = self.captions.grow(event)
        speaker = self._who(self._speaker_of(event.line))
        await self._send(
            {
                "type": "transcript",
                "speaker": "learner",
                "member": speaker,
                "text": event.text,
                "caption": caption,
                "final": False,
            }
        )

    async def _send(self, payload: dict[str, Any]) -> None:
        """Learner lines name their speaker; notes go to the learner they are about only."""
        kind = payload.get("type")
        if kind == "transcript" and payload.get("final") and payload["speaker"] == "learner":
            payload["member"] = self._who(self._seq_speakers.get(payload["turn"]))
        if kind in NOTES_FOR_SPEAKER:
            member = self._seq_speakers.get(payload.get("turn", -1), self._voiced_by)
            if member is not None:
                await self.fanout.to(member, payload)
            return
        await super()._send(payload)

    def _write_line(
        self, event: ev.Transcript, seq: int, text: str, *, amended: bool, source: str
    ) -> None:
        started_ms, ended_ms = self._offsets(event)
        speaker = self._speaker_of(event.line) if event.speaker == "learner" else None
        if speaker is not None and source == "speech":
            ended_ms = started_ms + self._voiced_ms(seq, speaker)
        fields = {"text": text, "started_ms": started_ms, "ended_ms": ended_ms}
        if amended:  # the same row in every copy, its new text
            self._persist(self._amend_copies, seq=seq, **fields)
            return
        if speaker is not None:
            self._seq_speakers[seq] = speaker
        self._persist(
            self._record_copies,
            seq=seq,
            speaker=speaker,
            interrupted=event.interrupted,
            source=source,
            **fields,
        )

    def _voiced_ms(self, seq: int, member: int) -> int:
        if seq not in self._line_talk:
            total = self.floor.talk_ms.get(member, 0)
            self._line_talk[seq] = max(0, total - self._talk_given.get(member, 0))
            self._talk_given[member] = total
        return self._line_talk[seq]

    def _record_copies(self, *, seq: int, speaker: int | None, **fields: Any) -> None:
        turns = services.group_record_turn(room_id=self.id, speaker_learner_id=speaker, **fields)
        self._copies[seq] = {who: t.ordinal for who, t in turns.items()}
        if speaker is not None and speaker in turns:  # notes are stored on the speaker's copy
            self._turn_ids[seq] = turns[speaker].pk

    def _amend_copies(self, *, seq: int, **fields: Any) -> None:
        ordinals = self._copies.get(seq)
        if ordinals:
            services.group_amend_turn(room_id=self.id, ordinals=ordinals, **fields)

    async def _handle(self, event: ev.Event) -> None:
        match event:
            case ev.TutorAudio() | ev.Transcript(speaker="tutor"):
                self._answering_at = time.monotonic()
            case ev.TurnComplete() | ev.Interrupted() | ev.Reconnecting():
                self._answering_at = None
            case _:
                pass
        if not isinstance(event, ev.PhraseNoted):
            await super()._handle(event)
            return
        member = self._speaker_of(event.line)
        if member is None:
            return
        self._persist(
            services.group_note_phrase,
            room_id=self.id,
            learner_id=member,
            text=event.text,
            translation=event.translation,
        )
        await self.fanout.to(
            member, {"type": "phrase", "text": event.text, "translation": event.translation}
        )

    # -- the end ------------------------------------------------------------------------

    async def hand_over(self, *, close_code: int | None, lost: bool = False) -> None:
        """Another process asked for the room (a member's socket landed there): every page
        reconnects (3012) rather than being told it was opened in another tab (4409)."""
        if close_code == protocol.CLOSE_REPLACED:
            close_code = protocol.CLOSE_MOVED
        await super().hand_over(close_code=close_code, lost=lost)

    async def _store_for_next(self, handle: str | None) -> None:
        """A room starts afresh in its next process, from the stored transcript."""

    async def finish(
        self,
        reason: str,
        *,
        close_code: int | None = None,
        failed: bool = False,
        ended_at: datetime | None = None,
    ) -> None:
        """End the room once: stop the tutor, write everything, end every member's copy."""
        async with self._finishing:
            if self.ended:
                return
            self.ended = True
            self._stop_timers()
            for task in (*self._leaving.values(), self._clock):
                if task is not None:
                    task.cancel()
            await self._stop_tutor()
            with contextlib.suppress(Exception):
                await database_sync_to_async(services.group_end)(room_id=self.id, reason=reason)
            await self.writer.close()
            for member in self.members.values():
                memory.remember_after(member.conversation_id)
            await self._send({"type": "ended", "reason": reason})
            sink, self.sink = self.sink, None
            if sink is not None and close_code is not None:
                await sink.close_with(close_code)
            await self._let_go()
            logger.info("room %s ended (%s) at %s", self.id, reason, timezone.now())
