"""One open conversation in this process: its Live session, trial clock and persistence.

A runtime outlives the browser's WebSocket: when the socket drops it waits
RECONNECT_GRACE_SECONDS for the page to come back before it finishes the conversation (a page
that comes back to another process takes it over: `tutor.conversation.handover`). The
consumer attaches a `Sink`; events arriving while no sink is attached are still persisted, and
tutor audio is dropped (the learner is not there to hear it). What each event from the tutor
does is in `tutor.conversation.tutor_events`, the trial clock and the time limit in
`tutor.conversation.deadlines`; this module is the runtime's lifecycle, the learner's input
and the end.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from lessons.services import conversations as services
from lessons.services import sweep
from tutor import metrics
from tutor.audio.learner_voice import LearnerVoice
from tutor.audio.resample import is_silence
from tutor.conversation import memory
from tutor.conversation.captions import Captions
from tutor.conversation.deadlines import Deadlines
from tutor.conversation.feedback import TargetPhrases
from tutor.conversation.handover import Handover
from tutor.conversation.ownership import Lease
from tutor.conversation.stats import SpeechStats
from tutor.conversation.tutor_events import TutorEventHandlers
from tutor.conversation.writer import Writer
from tutor.live import events as ev
from tutor.live.session import LiveTutor

logger = logging.getLogger(__name__)

LEARNER_BYTES_PER_SECOND = 32_000  # 16 kHz PCM16 mono
ABANDONED = sweep.ABANDONED  # the end reason when the page left and nobody came back
EVIDENCE_AFTER_WRITES = frozenset({"turn", "noted"})


class Sink(Protocol):
    async def send_event(self, payload: dict[str, Any]) -> None: ...
    async def send_audio(self, pcm: bytes) -> None: ...
    async def close_with(self, code: int) -> None: ...


class ConversationRuntime(TutorEventHandlers, Handover, Deadlines):
    def __init__(
        self,
        *,
        conversation_id: UUID,
        started_at: datetime,
        trial: bool,
        first_activity_at: datetime | None,
        tutor: LiveTutor,
        next_ordinal: int = 0,
        assignment_id: int | None = None,
        on_activity: Callable[[str, float], Awaitable[None]] | None = None,
        language: str = "",
        target_phrases: Sequence[str] = (),
    ) -> None:
        self.id = conversation_id
        self.language = language
        # Decided here, the page only draws them: target phrases used, live captions.
        self.targets = TargetPhrases(target_phrases)
        self.captions = Captions()
        self.trial = trial
        self.tutor = tutor
        self.writer = Writer()
        self.stats = SpeechStats()
        self.sink: Sink | None = None
        self.ended = False
        self.assignment_id = assignment_id
        self._on_activity = on_activity
        self._started_at = started_at
        self._first_activity_at = first_activity_at
        self._t0 = time.monotonic()
        self._offset_ms = max(0.0, (timezone.now() - started_at).total_seconds() * 1000)
        # Ordinals are assigned here, in order, so a retried write can never duplicate a turn.
        self._turn_seq = next_ordinal
        self._last_learner_seq: int | None = None
        self._turn_ids: dict[int, int] = {}
        # Learner line ids (`tutor.live.turns`) -> ordinals, ordinals written, and notes
        # waiting for their line's words, by line id.
        self._line_seqs, self._written, self._held_notes = {}, set(), {}
        self._learner_speaking = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._pump: asyncio.Task[None] | None = None
        self._grace: asyncio.Task[None] | None = None
        self._limit: asyncio.Task[None] | None = None
        self._beat: asyncio.Task[None] | None = None
        self._left_at: datetime | None = None  # when the last page left, while none is attached
        # The conversation's lease (tutor.conversation.handover), renewed by `_keeper`.
        self.lease: Lease | None = None
        self._keeper: asyncio.Task[None] | None = None
        self._finishing = asyncio.Lock()
        self._started = False
        # The learner's voice per turn, only if the operator keeps it (never for a trial).
        self._voice = LearnerVoice() if settings.STORE_LEARNER_AUDIO and not trial else None

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Connect the tutor once; later calls (a reconnected page) do nothing."""
        if self._started:
            return
        self._started = True
        metrics.conversation_opened(self)
        # Which model and voice served it, for the operator page (off the audio path).
        self._persist(
            services.conversation_set_upstream,
            conversation_id=self.id,
            model=self.tutor.model,
            voice=self.tutor.voice,
        )
        await self._activity("started")
        await self.tutor.start()
        self._pump = asyncio.create_task(self._run_pump(), name=f"pump-{self.id}")
        self._schedule_limits()

    async def _heartbeat(self) -> None:
        """Tell other processes (and their sweeps) this conversation is alive while a page is
        connected; through the write queue, so a slow database never stalls the audio. A
        detached runtime stays silent: it finishes itself when the grace is over, and if this
        process dies first, the sweep ends the conversation at its last connected beat."""
        while not self.ended:
            if self.sink is not None:
                self._persist(sweep.conversation_heartbeat, conversation_id=self.id)
            await asyncio.sleep(settings.CONVERSATION_HEARTBEAT_SECONDS)

    def attach(self, sink: Sink) -> None:
        if self._grace is not None:
            self._grace.cancel()
            self._grace = None
        self.sink = sink
        self._left_at = None
        if self._beat is None and not self.ended:  # from the first socket, started or not
            self._beat = asyncio.create_task(self._heartbeat(), name=f"beat-{self.id}")

    def detach(self, sink: Sink) -> None:
        """The browser left; keep the Live session for the grace period."""
        if self.sink is not sink:
            return
        self.sink = None
        self._left_at = timezone.now()
        if not self.ended:
            self._grace = asyncio.create_task(self._grace_then_finish(), name=f"grace-{self.id}")

    async def _grace_then_finish(self) -> None:
        """Nobody came back: the conversation was abandoned when its page left, and its length
        counts only the time it was connected."""
        await asyncio.sleep(settings.RECONNECT_GRACE_SECONDS)
        await self.finish(ABANDONED, ended_at=self._left_at)

    # -- input from the browser ---------------------------------------------------------

    async def learner_audio(self, pcm16_16k: bytes) -> None:
        if self.ended:
            return
        if self._first_activity_at is None:
            self._mark_first_activity()
        if not is_silence(pcm16_16k, threshold_dbfs=-45.0):
            self.stats.learner_audio(len(pcm16_16k) / LEARNER_BYTES_PER_SECOND)
            # Before it goes upstream: the transcription of these words can only come later,
            # so a fragment after this, and after the reply's end, starts a new line.
            self.tutor.heard_speech()
        if self._voice is not None:
            self._voice.add(pcm16_16k)
        await self.tutor.send_audio(pcm16_16k)

    async def learner_text(self, text: str) -> None:
        """A typed message in voice mode: it is its own learner turn."""
        if self.ended:
            return
        if self._first_activity_at is None:
            self._mark_first_activity()
        now = time.monotonic()
        line = self.tutor.typed_line(text)  # its id first: notes about it name it
        final = ev.Transcript("learner", text, True, started_at=now, ended_at=now, line=line)
        await self._final_transcript(final, source="typed")
        await self.tutor.send_text(text, registered=True)

    async def end_audio(self) -> None:
        if not self.ended:
            await self.tutor.end_audio()

    def _persist(self, func: Callable[..., Any], **kwargs: Any) -> None:
        async def job() -> None:
            await database_sync_to_async(func)(**kwargs)

        self.writer.submit(job)

    async def _activity(self, kind: str) -> None:
        """Tell a teacher's live view, off the audio path: a slow or absent Redis must not
        delay the conversation, so the broadcast runs as its own task with a deadline. A new
        line or note is told once the writes queued before it are done, because its message
        carries the evidence read back from the database (phrases used, corrections)."""
        if self._on_activity is None:
            return
        seconds = self.stats.learner_seconds
        if kind not in EVIDENCE_AFTER_WRITES:
            self._spawn(self._publish(kind, seconds))
            return

        async def after_writes() -> None:
            self._spawn(self._publish(kind, seconds))

        self.writer.submit(after_writes)

    async def _publish(self, kind: str, seconds: float) -> None:
        if self._on_activity is None:
            return
        try:
            async with asyncio.timeout(2.0):
                await self._on_activity(kind, seconds)
        except TimeoutError:
            logger.warning("conversation %s: live-view broadcast timed out", self.id)

    async def _send_audio(self, pcm: bytes) -> None:
        if self.sink is None:
            metrics.FRAMES_DROPPED.labels("to_browser").inc()
            return
        try:
            await self.sink.send_audio(pcm)
        except Exception:  # the browser went away mid-send (before its disconnect arrived)
            metrics.FRAMES_DROPPED.labels("to_browser").inc()
            logger.info("conversation %s: could not send tutor audio", self.id)
            return
        self.stats.audio_sent()

    async def _send(self, payload: dict[str, Any]) -> None:
        if self.sink is not None:
            try:
                await self.sink.send_event(payload)
            except Exception:  # the browser went away mid-send; the runtime carries on
                logger.info("conversation %s: could not send %s", self.id, payload.get("type"))

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- the end ------------------------------------------------------------------------

    async def finish(
        self,
        reason: str,
        *,
        close_code: int | None = None,
        failed: bool = False,
        ended_at: datetime | None = None,
    ) -> None:
        """End the conversation once: stop the tutor, write everything, tell the browser.
        `ended_at`: when it really ended, if earlier than now (see `_grace_then_finish`)."""
        async with self._finishing:
            if self.ended:
                return
            self.ended = True
            self._stop_timers()
            await self._stop_tutor()
            stats = self.stats.finish_stats(
                reconnects=self.tutor.reconnects, degraded=self.writer.degraded
            )
            with contextlib.suppress(Exception):
                await database_sync_to_async(services.conversation_finish)(
                    conversation_id=self.id,
                    reason=reason,
                    stats=stats,
                    failed=failed,
                    ended_at=ended_at,
                )
            await self.writer.close()
            if not self.trial:  # the learner's memory takes this conversation in, later
                memory.remember_after(self.id)
            await self._activity("ended")
            await self._send({"type": "ended", "reason": reason})
            sink, self.sink = self.sink, None
            if sink is not None and close_code is not None:
                await sink.close_with(close_code)
            await self._let_go()
