"""LiveTutor: one conversation's Gemini Live session, seen by the consumer as typed events.

Only the `tutor.live` package imports google-genai; this module knows nothing about Django. The
genai client is injected, `__init__` does no I/O. Wire facts and traps are in
docs/gemini-live.md; section numbers below refer to it. What each server message does is in
`tutor.live.server_messages`; this module is the connection's lifecycle.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator
from typing import cast

from google import genai
from google.genai import types
from google.genai.live import AsyncSession
from websockets.exceptions import ConnectionClosed

from tutor.live.config import BYTES_PER_MS_IN, LiveSettings, classify, connect_config
from tutor.live.events import Error, Event, Reconnecting, Resumed
from tutor.live.realtime_input import send_audio_frame
from tutor.live.server_messages import ServerMessageHandlers
from tutor.live.turns import TurnAssembler

__all__ = ["LiveTutor"]

log = logging.getLogger(__name__)


class LiveTutor(ServerMessageHandlers):
    """A Live session that survives goAway and dropped connections without the learner noticing.

    - `start()` connects (retrying transient failures) and returns once the session is up or
      has failed; a failure is reported as one `Error` event, after which `events()` ends.
    - Reconnects resume with the newest resumption handle, so the tutor does not greet again:
      the opener goes only to a fresh session (no handle) before any turn has completed.
      goAway between turns reconnects at once; in a turn, the turn may finish if it can before
      the deadline minus `go_away_margin`, else it is cut (final lines marked interrupted).
    - Transient failures (1011, 1006, timeouts) retry with capped exponential backoff, at most
      `max_retries` times in a row (the count resets when a turn completes); then one
      `Error("upstream_unavailable")`. Key, config and quota failures are one `Error`, no retry.
    - Audio sent while disconnected is kept in a FIFO of at most `audio_buffer_ms` of 16 kHz
      PCM16 (the oldest audio is dropped first) and flushed, in order, after the session is
      back, followed by any queued `end_audio` and typed text (text is never dropped).
    - Tool calls are answered at once, before any model reply, so speech never stalls.
    """

    def __init__(self, client: genai.Client, settings: LiveSettings) -> None:
        self._client = client
        self.settings = settings
        self.model = settings.model
        self.voice = settings.voice
        self.reconnects = 0
        self.resumption_handle: str | None = None
        self._reset()

    def _reset(self) -> None:
        """Everything but the two statistics above, which stay readable after `close()`."""
        self.dropped_audio_bytes = 0
        self._queue: asyncio.Queue[Event | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._session: AsyncSession | None = None  # set only once pending input is flushed
        self._audio: deque[bytes] = deque()
        self._audio_bytes = 0
        self._texts: list[str] = []
        self._end_pending = False
        self._turn = TurnAssembler(self._emit)
        self._connected_once = False
        self._greeted = False
        self._failures = 0
        self._go_away_at: float | None = None
        self._deadline: asyncio.Timeout | None = None

    # -- public API ---------------------------------------------------------------------

    async def start(self) -> None:
        if self._task is not None:
            raise RuntimeError("LiveTutor already started")
        self.reconnects, self.resumption_handle = 0, None
        self._task = asyncio.create_task(self._run(), name=f"live-tutor-{self.model}")
        await self._ready.wait()

    async def events(self) -> AsyncIterator[Event]:
        """Every event in order; ends after `close()` or a fatal `Error`."""
        queue = self._queue
        while (event := await queue.get()) is not None:
            yield event

    async def send_audio(self, pcm16_16k: bytes) -> None:
        """Learner audio: 16 kHz mono PCM16 little-endian. Uses `audio=`, never the
        deprecated `media=` (1007 on current models, docs/gemini-live.md §3)."""
        session = self._session
        if session is None:
            self._buffer_audio(pcm16_16k)
            return
        try:
            await send_audio_frame(session, pcm16_16k)
        except ConnectionClosed:
            self._lost(session)
            self._buffer_audio(pcm16_16k)

    def typed_line(self, text: str) -> int:
        """Register a typed line before sending it: its id, which notes about it will carry."""
        return self._turn.typed(text)

    def heard_speech(self) -> None:
        """The learner's own audio has speech: after a reply, a new utterance (`turns`)."""
        self._turn.learner_speech()

    async def send_text(self, text: str, *, registered: bool = False) -> None:
        """A typed learner message (realtime text, so it works on every Live model). The
        consumer records it as the learner's line; an echoed transcription is not re-emitted.
        `registered`: `typed_line` was already called for it."""
        if not registered:
            self._turn.typed(text)
        session = self._session
        if session is None:
            self._texts.append(text)
            return
        try:
            await session.send_realtime_input(text=text)
        except ConnectionClosed:
            self._lost(session)
            self._texts.append(text)

    async def end_audio(self) -> None:
        """The mic paused: let the server flush its cached audio (AAD stays on)."""
        session = self._session
        if session is None:
            self._end_pending = True
            return
        with contextlib.suppress(ConnectionClosed):
            await session.send_realtime_input(audio_stream_end=True)

    def flush(self) -> None:
        """Emit whatever is in flight (a half-heard learner line, a half-spoken tutor turn) as
        final, interrupted transcripts: called before `close()` so nothing said is lost."""
        self._turn.cut()

    async def close(self) -> None:
        """Idempotent. Cancels the session task, ends `events()`, resets all state."""
        task = self._task
        if task is not None:
            task.cancel()
            await asyncio.wait([task])
        self._queue.put_nowait(None)
        self._reset()

    # -- connection lifecycle -----------------------------------------------------------

    async def _run(self) -> None:
        try:
            while True:
                failure: Exception | None = None
                try:
                    await self._connection()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    failure = exc
                self._session = None
                self._turn.cut()
                reason, delay = ("go_away", 0.0) if failure is None else self._failed(failure)
                if delay < 0:
                    return
                self._go_away_at = None
                if self._connected_once:
                    self._emit(Reconnecting(attempt=max(self._failures, 1), reason=reason))
                await asyncio.sleep(delay)
        finally:
            self._session = None
            self._ready.set()
            self._queue.put_nowait(None)

    def _failed(self, exc: Exception) -> tuple[str, float]:
        """(reason, backoff delay) for a retry, or a negative delay after emitting the Error."""
        failure = classify(exc, self._secret())
        log.info("Live session failed: %s (%s)", failure.code, failure.message)
        if self._go_away_at is not None and not failure.fatal:
            return "go_away", 0.0  # the close that follows a goAway is the planned one
        if failure.fatal:
            self._emit(Error(code=failure.code, message=failure.message))
            return failure.code, -1.0
        self._failures += 1
        if self._failures > self.settings.max_retries:
            message = f"Gemini Live is unavailable ({failure.code}); gave up after retrying."
            self._emit(Error(code="upstream_unavailable", message=message))
            return failure.code, -1.0
        backoff = self.settings.backoff * 2 ** (self._failures - 1)
        return failure.code, min(backoff, self.settings.max_backoff)

    async def _connection(self) -> None:
        """One WebSocket: connect (bounded, the SDK waits forever for setupComplete, §2.2),
        flush what queued up, then receive until it ends."""
        handle = self.resumption_handle
        config = connect_config(self.settings, handle)
        async with contextlib.AsyncExitStack() as stack:
            async with asyncio.timeout(self.settings.connect_timeout):
                live = self._client.aio.live.connect(model=self.model, config=config)
                session = await stack.enter_async_context(live)
            try:
                await self._on_connected(session, fresh=handle is None)
                await self._receive(session)
            except asyncio.CancelledError:
                # close() cancels us: end the session with 1000 (normal), not the 1011
                # "internal error" websockets sends when its context exits on an exception.
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(1.0):
                        await session.close()
                raise

    async def _on_connected(self, session: AsyncSession, *, fresh: bool) -> None:
        if self._connected_once:
            self.reconnects += 1
            self._emit(Resumed(reconnects=self.reconnects))
        self._connected_once = True
        # The opener makes the tutor speak first. A resumed session already heard it, and once
        # a turn is done a greeting would be a re-greeting, even on a fresh session.
        if fresh and not self._greeted and self.settings.opener:
            await session.send_realtime_input(text=self.settings.opener)
        await self._flush_pending(session)
        self._session = session
        self._ready.set()

    async def _flush_pending(self, session: AsyncSession) -> None:
        # Loop until all is empty: send_* keep queueing while `_session` is still None.
        while self._audio or self._end_pending or self._texts:
            if self._audio:
                chunk = self._audio.popleft()
                self._audio_bytes -= len(chunk)
                await send_audio_frame(session, chunk)
            elif self._end_pending:
                self._end_pending = False
                await session.send_realtime_input(audio_stream_end=True)
            else:
                await session.send_realtime_input(text=self._texts.pop(0))

    async def _receive(self, session: AsyncSession) -> None:
        # receive() stops after each turnComplete (§4.3), hence the outer loop. The timeout is
        # armed only by goAway, to bound how long an unfinished turn may run.
        async with asyncio.timeout(None) as self._deadline:
            while True:
                # receive() is an async generator, typed as a plain iterator.
                stream = cast("AsyncGenerator[types.LiveServerMessage]", session.receive())
                async with contextlib.aclosing(stream):
                    async for message in stream:
                        await self._dispatch(session, message)
                        if self._should_leave():
                            return

    def _should_leave(self) -> bool:
        if self._go_away_at is None:
            return False
        return not self._turn.in_turn or time.monotonic() >= self._go_away_at

    def _lost(self, session: AsyncSession) -> None:
        if self._session is session:
            self._session = None

    def _buffer_audio(self, pcm: bytes) -> None:
        limit = self.settings.audio_buffer_ms * BYTES_PER_MS_IN
        self._audio.append(pcm)
        self._audio_bytes += len(pcm)
        while self._audio_bytes > limit and self._audio:
            oldest = self._audio.popleft()
            excess = self._audio_bytes - limit
            if len(oldest) > excess:  # keep the newest part of a long chunk, sample-aligned
                self._audio.appendleft(oldest[excess + excess % 2 :])
            dropped = min(len(oldest), excess + excess % 2)
            self._audio_bytes -= dropped
            self.dropped_audio_bytes += dropped

    def _secret(self) -> str | None:
        return getattr(getattr(self._client, "_api_client", None), "api_key", None)

    def _emit(self, event: Event) -> None:
        self._queue.put_nowait(event)
