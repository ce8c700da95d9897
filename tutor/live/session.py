"""LiveTutor: one conversation's Gemini Live session, seen by the consumer as typed events.

Only the `tutor.live` package imports google-genai; this module knows nothing about Django. The
genai client is injected, `__init__` does no I/O. Wire facts and traps are in
docs/gemini-live.md; section numbers below refer to it. What each server message does is in
`tutor.live.server_messages`, what the learner sends in `tutor.live.learner_input`; this module
is the connection's lifecycle.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator
from typing import cast

from google import genai
from google.genai import errors, types
from google.genai.live import AsyncSession

from tutor.live.config import (
    BYTES_PER_MS_IN,
    LiveSettings,
    ResumeRefused,
    classify,
    connect_config,
    refuses_resume,
)
from tutor.live.events import Error, Event, Reconnecting, Resumed, Transcript
from tutor.live.learner_input import LearnerInput
from tutor.live.server_messages import ServerMessageHandlers, takes_turn
from tutor.live.texts import LIVE_UNAVAILABLE, failure_text
from tutor.live.turns import TurnAssembler
from tutor.live.uplink import Uplink

__all__ = ["LiveTutor"]

log = logging.getLogger(__name__)
_NO_INPUT = object()  # `_input_under` before any learner input


class LiveTutor(LearnerInput, ServerMessageHandlers):
    """A Live session that survives goAway and dropped connections without the learner noticing.

    - `start()` connects (retrying transient failures) and returns once the session is up or
      has failed; a failure is reported as one `Error` event, after which `events()` ends.
    - Reconnects resume with the newest resumable handle. A resume refused during setup
      (1011 while the old connection is still held, 1008 for an expired handle) or with no
      handle at all starts a fresh session whose instruction holds the transcript so far
      (`continuation`), which does not greet.
    - The opener goes to every connection until the greeting turn completes, never after:
      a greeting cut by a drop is dropped (not stored) and asked for again, once. It never
      goes to a session told the conversation is under way (`continuation`), and its echo is
      swallowed like a typed line's: it is never the learner's words. The transcript such a
      session is told holds only what reached a server: lines typed before the first
      connection go up after the opener, they do not make it a continuation.
    - goAway: new input waits for the next connection; the bridge leaves once the turn is done
      and its handle has come, or at the deadline minus a margin (cutting the turn).
    - Transient failures (1011, 1006, timeouts) retry with capped exponential backoff, at most
      `max_retries` times in a row (the count resets when a turn completes); then one
      `Error("upstream_unavailable")`. Key, config and quota failures are one `Error`, no retry.
    - Learner input is never lost to a reconnect: see `tutor.live.uplink`.
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
        self._queue: asyncio.Queue[Event | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._session: AsyncSession | None = None  # set only once pending input is flushed
        ms = BYTES_PER_MS_IN
        self._uplink = Uplink(self.settings.audio_buffer_ms * ms, self.settings.replay_ms * ms)
        # The transcript so far (as stored), for a fresh session when resuming is impossible.
        self._history: list[tuple[str, str]] = list(self.settings.history)
        self._turn = TurnAssembler(self._emit)
        self._connected_once = False
        self._greeted = False
        self._failures = 0
        self._go_away_at: float | None = None
        self._handle_current = True  # the newest handle covers every completed turn
        self._deadline: asyncio.Timeout | None = None
        # The newest handle when learner input last went up: a session resumed from that
        # handle never heard the input (see `resumable_handle`).
        self._input_under: object = _NO_INPUT

    # -- public API ---------------------------------------------------------------------

    @property
    def dropped_audio_bytes(self) -> int:
        return self._uplink.dropped_audio_bytes

    async def start(self) -> None:
        if self._task is not None:
            raise RuntimeError("LiveTutor already started")
        self.reconnects, self.resumption_handle = 0, self.settings.resume_handle
        self._task = asyncio.create_task(self._run(), name=f"live-tutor-{self.model}")
        await self._ready.wait()

    async def events(self) -> AsyncIterator[Event]:
        """Every event in order; ends after `close()` or a fatal `Error`."""
        queue = self._queue
        while (event := await queue.get()) is not None:
            yield event

    @property
    def learner_line_open(self) -> bool:
        """Whether the learner's line in flight still awaits its words (`TurnAssembler`)."""
        return self._turn.learner_line_open

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

    # -- handing the session to another process (tutor.conversation.handover) ------------

    def resumable_handle(self) -> str | None:
        """The newest handle if it covers every completed turn, nothing is in flight and no
        learner input went up after it (a session resumed from it has heard all that is
        stored); else None: start fresh from the transcript."""
        handle = self.resumption_handle
        if handle == self._input_under or not self._handle_current or self._turn.in_turn:
            return None
        return handle

    async def settle(self, within: float) -> None:
        """Wait up to `within` s for the turn in flight to end and the handle after it."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline and self._task is not None and not self._task.done():
            if self._handle_current and not self._turn.in_turn:
                return
            await asyncio.sleep(0.02)

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
                self._connection_over()
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

    def _connection_over(self) -> None:
        # A greeting cut short is not kept: the opener goes again and the tutor greets whole,
        # so the transcript holds one greeting. Anything else in flight is final, interrupted.
        if not self._greeted:
            self._turn.abandon_tutor()
        self._turn.cut()
        self._uplink.requeue()

    def _failed(self, exc: Exception) -> tuple[str, float]:
        """(reason, backoff delay) for a retry, or a negative delay after emitting the Error."""
        if isinstance(exc, ResumeRefused):
            # 1011 while the old connection is still held, or 1008 for an expired handle:
            # the server-side session is out of reach, start a fresh one from the transcript.
            log.info("resume refused (%s); starting a fresh session", exc.__cause__)
            self.resumption_handle = None
            self._failures += 1
            return "resume_refused", 0.0
        failure = classify(exc, self._secret())
        log.info("Live session failed: %s (%s)", failure.code, failure.message)
        if self._go_away_at is not None and not failure.fatal:
            return "go_away", 0.0  # the close that follows a goAway is the planned one
        # The Error carries our marked sentence for the failure's kind, never Gemini's reason
        # (logged above): the page translates it (tutor.learner_texts.error_text).
        if failure.fatal:
            self._emit(
                Error(code=failure.code, message=failure_text(failure.code, LIVE_UNAVAILABLE))
            )
            return failure.code, -1.0
        self._failures += 1
        if self._failures > self.settings.max_retries:
            log.info("Live session: gave up after %d retries", self.settings.max_retries)
            self._emit(Error(code="upstream_unavailable", message=LIVE_UNAVAILABLE))
            return failure.code, -1.0
        backoff = self.settings.backoff * 2 ** (self._failures - 1)
        return failure.code, min(backoff, self.settings.max_backoff)

    async def _connection(self) -> None:
        """One WebSocket: connect (bounded, the SDK waits forever for setupComplete, §2.2),
        flush what queued up, then receive until it ends."""
        handle = self.resumption_handle
        config = connect_config(self.settings, handle, self._history)
        # A fresh session given the transcript so far is told not to greet (`continuation`).
        continuing = handle is None and bool(self._history)
        async with contextlib.AsyncExitStack() as stack:
            try:
                async with asyncio.timeout(self.settings.connect_timeout):
                    live = self._client.aio.live.connect(model=self.model, config=config)
                    session = await stack.enter_async_context(live)
            except errors.APIError as exc:
                if handle is not None and refuses_resume(exc, self._secret()):
                    raise ResumeRefused from exc
                raise
            try:
                await self._on_connected(session, continuing=continuing)
                await self._receive(session)
            except asyncio.CancelledError:
                # close() cancels us: end the session with 1000 (normal), not the 1011
                # "internal error" websockets sends when its context exits on an exception.
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(1.0):
                        await session.close()
                raise

    async def _on_connected(self, session: AsyncSession, *, continuing: bool = False) -> None:
        if self._connected_once:
            self.reconnects += 1
            self._emit(Resumed(reconnects=self.reconnects))
        self._connected_once = True
        self._handle_current = True  # nothing completed on this connection yet
        if continuing:
            # Told the conversation is under way and not to greet: an opener now would be one
            # more line of the learner's to a session that takes it as such, and so would be
            # one to a session resumed from this one's handles.
            self._greeted = True
        # The opener makes the tutor speak first. Until the greeting turn completes, every
        # connection needs it: handles come only between turns, so a resumed session never
        # holds half a greeting. After it, a greeting would be a re-greeting.
        if not self._greeted and self.settings.opener:
            # It goes upstream as realtime text, ahead of the typed lines still held: a
            # transcription repeating it is its echo, never the learner's words.
            self._turn.expect_echo(self.settings.opener, before=self._uplink.texts)
            await session.send_realtime_input(text=self.settings.opener)
        # send_* keep queueing while `_session` is still None; an item leaves the queue only
        # once sent, so a failure here loses nothing.
        await self._uplink.flush(session, sent_text=self._sent_text)
        self._session = session
        self._ready.set()

    async def _receive(self, session: AsyncSession) -> None:
        # receive() stops after each turnComplete (§4.3), hence the outer loop. The timeout is
        # armed only by goAway, to bound how long an unfinished turn may run.
        async with asyncio.timeout(None) as self._deadline:
            while True:
                # receive() is an async generator, typed as a plain iterator.
                stream = cast("AsyncGenerator[types.LiveServerMessage]", session.receive())
                async with contextlib.aclosing(stream):
                    async for message in stream:
                        if takes_turn(message):  # the server has the learner's words
                            self._uplink.taken()
                        await self._dispatch(session, message)
                        if self._should_leave():
                            return

    def _should_leave(self) -> bool:
        """After goAway: once the turn is done and its handle has come, or at the deadline."""
        if self._go_away_at is None:
            return False
        done = not self._turn.in_turn and self._handle_current
        return done or time.monotonic() >= self._go_away_at

    def _secret(self) -> str | None:
        return getattr(getattr(self._client, "_api_client", None), "api_key", None)

    def _emit(self, event: Event) -> None:
        if isinstance(event, Transcript) and event.final and event.text:
            self._history.append((event.speaker, event.text))
        self._queue.put_nowait(event)
