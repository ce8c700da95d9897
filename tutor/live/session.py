"""LiveTutor: one conversation's Gemini Live session, seen by the consumer as typed events.

The only module (with `tutor.live_config`) that imports google-genai; it knows nothing about
Django. The genai client is injected, `__init__` does no I/O. Wire facts and traps are in
docs/live-protocol.md; section numbers below refer to it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import re
import time
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator
from typing import cast

import aiohttp
from google import genai
from google.genai import errors, types
from google.genai.live import AsyncSession
from websockets.exceptions import ConnectionClosed

from tutor.events import Error, Event, Reconnecting, Resumed, Usage
from tutor.live_config import (
    AUDIO_IN_MIME,
    BYTES_PER_MS_IN,
    LiveSettings,
    classify,
    connect_config,
    make_client,
)
from tutor.live_turns import TurnAssembler, note_event

__all__ = ["LiveSettings", "LiveTutor", "TutorUnavailable", "generate_text_reply", "make_client"]

log = logging.getLogger(__name__)

# Tool answers carry nothing the model needs. On 3.8 Live calls are NON_BLOCKING by default and
# the default scheduling (WHEN_IDLE) would make the tutor speak again about the note; SILENT
# only adds it to the context. For BLOCKING calls (3.1) `scheduling` is documented as ignored.
_SCHEDULING = types.FunctionResponseScheduling.SILENT
_DURATION = re.compile(r"^\s*([\d.]+)s\s*$")


class TutorUnavailable(Exception):
    """Gemini cannot answer right now; `str(exc)` is safe to show (never holds the key)."""

    def __init__(self, message: str, code: str = "upstream_unavailable") -> None:
        super().__init__(message)
        self.code = code


class LiveTutor:
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
        deprecated `media=` (1007 on current models, live-protocol §3)."""
        session = self._session
        if session is None:
            self._buffer_audio(pcm16_16k)
            return
        try:
            await _send_audio(session, pcm16_16k)
        except ConnectionClosed:
            self._lost(session)
            self._buffer_audio(pcm16_16k)

    async def send_text(self, text: str) -> None:
        """A typed learner message (realtime text, so it works on every Live model). The
        consumer records it as the learner's line; an echoed transcription is not re-emitted."""
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
                await _send_audio(session, chunk)
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

    # -- server messages: one handler per field ---------------------------------------

    async def _dispatch(self, session: AsyncSession, message: types.LiveServerMessage) -> None:
        # Order matters when one message carries several fields: a barge-in first, learner
        # words before tutor output, notes before the turn ends, usage before TurnComplete.
        content = message.server_content or types.LiveServerContent()
        if content.interrupted:
            self._turn.barge_in()
        if content.input_transcription and content.input_transcription.text:
            self._turn.learner_fragment(content.input_transcription.text)
        if content.model_turn:
            self._handle_model_turn(content.model_turn)
        if content.output_transcription and content.output_transcription.text:
            self._turn.tutor_fragment(content.output_transcription.text)
        if message.tool_call:
            await self._handle_tool_call(session, message.tool_call)
        if message.tool_call_cancellation:
            self._handle_tool_call_cancellation(message.tool_call_cancellation)
        if message.session_resumption_update:
            self._handle_session_resumption_update(message.session_resumption_update)
        if message.go_away:
            self._handle_go_away(message.go_away)
        if message.usage_metadata:
            self._handle_usage_metadata(message.usage_metadata)
        if content.turn_complete:
            self._handle_turn_complete()

    def _handle_model_turn(self, model_turn: types.Content) -> None:
        for part in model_turn.parts or []:
            blob = part.inline_data
            if blob and blob.data and (blob.mime_type or "").startswith("audio/"):
                self._turn.tutor_audio(blob.data)  # 24 kHz PCM16 (§7); text parts are thoughts

    async def _handle_tool_call(
        self, session: AsyncSession, call: types.LiveServerToolCall
    ) -> None:
        self._turn.tutor_answering()  # the learner's final line must precede its corrections
        responses = []
        for fc in call.function_calls or []:
            event, result = note_event(fc.name or "", fc.args or {})
            if event is None:
                log.warning("Ignored tool call %s: %s", fc.name, result)
            else:
                self._emit(event)
            if not fc.id:  # unanswerable: the SDK refuses a response without an id (§3)
                continue
            responses.append(
                types.FunctionResponse(
                    id=fc.id, name=fc.name, response=result, scheduling=_SCHEDULING
                )
            )
        if responses:
            await session.send_tool_response(function_responses=responses)

    def _handle_tool_call_cancellation(self, cancel: types.LiveServerToolCallCancellation) -> None:
        # Already answered and noted: a mistake stays a mistake if the tutor was interrupted.
        log.debug("Tool calls cancelled: %s", cancel.ids)

    def _handle_session_resumption_update(
        self, update: types.LiveServerSessionResumptionUpdate
    ) -> None:
        if update.resumable and update.new_handle:
            self.resumption_handle = update.new_handle

    def _handle_go_away(self, go_away: types.LiveServerGoAway) -> None:
        left = max(_seconds(go_away.time_left) - self.settings.go_away_margin, 0.0)
        self._go_away_at = time.monotonic() + left
        if self._deadline is not None:  # ends an unfinished turn in time (see `_receive`)
            self._deadline.reschedule(asyncio.get_running_loop().time() + left)
        log.info("goAway with %s left", go_away.time_left)

    def _handle_usage_metadata(self, usage: types.UsageMetadata) -> None:
        self._emit(
            Usage(
                prompt_tokens=usage.prompt_token_count or 0,
                response_tokens=usage.response_token_count or 0,
                total_tokens=usage.total_token_count or 0,
            )
        )

    def _handle_turn_complete(self) -> None:
        self._turn.turn_complete()
        self._failures = 0
        self._greeted = True


def _seconds(duration: str | None) -> float:
    """A proto Duration string ("50s", "1.5s"); unknown or missing means no time left."""
    match = _DURATION.match(duration or "")
    return float(match.group(1)) if match else 0.0


def _audio_blob(pcm: bytes) -> types.Blob:
    return types.Blob(data=pcm, mime_type=AUDIO_IN_MIME)


_AUDIO_MIME_FIELD = f'"mime_type": "{AUDIO_IN_MIME}"'


def audio_message(pcm: bytes) -> str:
    """The frame `send_realtime_input(audio=_audio_blob(pcm))` sends to the Gemini API:
    tests/tutor/test_live_audio_wire.py checks it against the SDK's own, byte for byte."""
    data = base64.urlsafe_b64encode(pcm).decode("ascii")  # nothing in it needs JSON escaping
    return f'{{"realtime_input": {{"audio": {{"data": "{data}", {_AUDIO_MIME_FIELD}}}}}}}'


async def _send_audio(session: AsyncSession, pcm: bytes) -> None:
    """Learner audio, 50 times a second: the SDK's pydantic validation and conversion per
    call were a fifth of the relay's CPU (bench/relay.py), so the frame is built directly.
    An SDK whose session has no `_ws` gets the documented call."""
    ws = getattr(session, "_ws", None)
    if ws is None:
        await session.send_realtime_input(audio=_audio_blob(pcm))
    else:
        await ws.send(audio_message(pcm))


# -- text fallback (HTTP, no WebSocket) ----------------------------------------------------

TEXT_TIMEOUT = 30.0  # seconds for one generate_content call


async def generate_text_reply(
    client: genai.Client,
    *,
    model: str,
    system_instruction: str,
    history: list[tuple[str, str]],
    message: str,
) -> str:
    """One tutor reply by `generate_content`. `history` is (speaker, text) pairs, speaker
    "learner" or "tutor", oldest first. Raises TutorUnavailable with a safe message."""
    contents = [_content(speaker, text) for speaker, text in history if text.strip()]
    contents.append(_content("learner", message))
    config = types.GenerateContentConfig(system_instruction=system_instruction)
    try:
        async with asyncio.timeout(TEXT_TIMEOUT):
            response = await client.aio.models.generate_content(
                model=model, contents=contents, config=config
            )
    except (errors.APIError, OSError, TimeoutError, aiohttp.ClientError) as exc:
        secret = getattr(getattr(client, "_api_client", None), "api_key", None)
        failure = classify(exc, secret)
        code = failure.code if failure.fatal else "upstream_unavailable"
        raise TutorUnavailable(failure.message, code) from exc
    text = (response.text or "").strip()
    if not text:
        raise TutorUnavailable("Gemini returned an empty reply.")
    return text


def _content(speaker: str, text: str) -> types.Content:
    role = "model" if speaker == "tutor" else "user"
    return types.Content(role=role, parts=[types.Part(text=text)])
