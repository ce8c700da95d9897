"""Fakes at the network edge: a genai client whose Live sessions replay scripted server messages.

Like pipecat's `_FakeSession`: `FakeLiveSession` records every `send_*` call's kwargs and
replays a script of `types.LiveServerMessage` objects, exceptions (raised from `receive()`,
as the SDK raises `APIError` for a close frame) and `Gate`s (pause until the test opens them).
`receive()` ends its iteration after a turnComplete, like the real `AsyncSession.receive()`;
an exhausted script is a quiet server until `push()` adds more.

`FakeLiveClient(*connections)` hands out one scripted item per `connect()`: a session, an
exception to raise from connect, `NEVER_READY` (no setupComplete, connect hangs) or a `Gated`
session (connect waits for the gate first).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from google.genai import errors, types
from websockets.exceptions import ConnectionClosedError
from websockets.frames import Close

from tutor.live.events import Event, SpeechEnded, Transcript

# The two tools as tutor.prompts declares them: plain JSON-schema dicts.
TOOLS: list[dict[str, Any]] = [
    {
        "name": "note_correction",
        "description": "Record one learner error.",
        "parameters": {
            "type": "object",
            "properties": {
                "original": {"type": "string"},
                "corrected": {"type": "string"},
                "explanation": {"type": "string"},
                "kind": {"type": "string", "enum": ["grammar", "vocabulary"]},
            },
            "required": ["original", "corrected", "explanation", "kind"],
        },
    },
    {
        "name": "note_phrase",
        "description": "Save a useful phrase.",
        "parameters": {
            "type": "object",
            "properties": {"text": {"type": "string"}, "translation": {"type": "string"}},
            "required": ["text", "translation"],
        },
    },
]


@dataclass
class Gate:
    """A script step (or connect guard) that waits until the test calls `open()`."""

    reached: asyncio.Event = field(default_factory=asyncio.Event)
    opened: asyncio.Event = field(default_factory=asyncio.Event)

    def open(self) -> None:
        self.opened.set()

    async def pass_through(self) -> None:
        self.reached.set()
        await self.opened.wait()


Step = types.LiveServerMessage | BaseException | Gate


class FakeLiveSession:
    def __init__(self, *script: Step) -> None:
        self._script: deque[Step] = deque(script)
        self._more = asyncio.Event()
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.send_error: BaseException | None = None
        self.closed = False

    def push(self, *steps: Step) -> None:
        self._script.extend(steps)
        self._more.set()

    async def send_realtime_input(self, **kwargs: Any) -> None:
        self._record("realtime_input", kwargs)

    async def send_tool_response(self, **kwargs: Any) -> None:
        self._record("tool_response", kwargs)

    def _record(self, kind: str, kwargs: dict[str, Any]) -> None:
        if self.send_error is not None:
            raise self.send_error
        self.sent.append((kind, kwargs))

    async def receive(self) -> AsyncIterator[types.LiveServerMessage]:
        while True:
            step = await self._next()
            if isinstance(step, BaseException):
                raise step
            yield step
            if step.server_content and step.server_content.turn_complete:
                return

    async def _next(self) -> types.LiveServerMessage | BaseException:
        while True:
            while not self._script:
                self._more.clear()
                await self._more.wait()
            step = self._script.popleft()
            if not isinstance(step, Gate):
                return step
            await step.pass_through()

    # What the tests read back.
    def audio_sent(self) -> list[bytes]:
        return [kw["audio"].data for kind, kw in self.sent if "audio" in kw]

    def texts_sent(self) -> list[str]:
        return [kw["text"] for kind, kw in self.sent if "text" in kw]

    def tool_responses(self) -> list[list[types.FunctionResponse]]:
        return [kw["function_responses"] for kind, kw in self.sent if kind == "tool_response"]


NEVER_READY = object()


@dataclass
class Gated:
    session: FakeLiveSession
    gate: Gate


class FakeModels:
    """`client.aio.models`: generate_content answers `reply` (text or an exception)."""

    def __init__(self) -> None:
        self.reply: str | BaseException = "¡Muy bien!"
        self.calls: list[dict[str, Any]] = []

    async def generate_content(self, **kwargs: Any) -> types.GenerateContentResponse:
        self.calls.append(kwargs)
        if isinstance(self.reply, BaseException):
            raise self.reply
        part = types.Part(text=self.reply)
        candidate = types.Candidate(content=types.Content(role="model", parts=[part]))
        return types.GenerateContentResponse(candidates=[candidate])


class FakeLiveClient:
    def __init__(self, *connections: object, api_key: str = "fake-key-123") -> None:
        self._connections: deque[object] = deque(connections)
        self.connects: list[dict[str, Any]] = []
        self.sessions: list[FakeLiveSession] = []
        self.models = FakeModels()
        self.aio = SimpleNamespace(live=SimpleNamespace(connect=self._connect), models=self.models)
        self._api_client = SimpleNamespace(api_key=api_key)  # what genai.Client holds

    def add(self, *connections: object) -> None:
        self._connections.extend(connections)

    @asynccontextmanager
    async def _connect(
        self, *, model: str, config: types.LiveConnectConfig
    ) -> AsyncIterator[FakeLiveSession]:
        self.connects.append({"model": model, "config": config})
        item = self._connections.popleft() if self._connections else closed(1011, "unscripted")
        if isinstance(item, Gated):
            await item.gate.pass_through()
            item = item.session
        if item is NEVER_READY:
            await asyncio.Event().wait()
        if isinstance(item, BaseException):
            raise item
        assert isinstance(item, FakeLiveSession)
        self.sessions.append(item)
        try:
            yield item
        finally:
            item.closed = True

    def handles(self) -> list[str | None]:
        """The resumption handle each connect() asked for."""
        return [c["config"].session_resumption.handle for c in self.connects]


# -- server messages --------------------------------------------------------------------------


def _content(**fields: Any) -> types.LiveServerMessage:
    return types.LiveServerMessage(server_content=types.LiveServerContent(**fields))


def heard(text: str) -> types.LiveServerMessage:
    """An inputTranscription fragment (what the learner said)."""
    return _content(input_transcription=types.Transcription(text=text))


def said(text: str) -> types.LiveServerMessage:
    """An outputTranscription fragment (what the tutor says)."""
    return _content(output_transcription=types.Transcription(text=text))


def audio(pcm: bytes) -> types.LiveServerMessage:
    blob = types.Blob(data=pcm, mime_type="audio/pcm;rate=24000")
    return _content(model_turn=types.Content(role="model", parts=[types.Part(inline_data=blob)]))


def interrupted() -> types.LiveServerMessage:
    return _content(interrupted=True)


def turn_complete(prompt: int = 10, response: int = 5) -> types.LiveServerMessage:
    usage = types.UsageMetadata(
        prompt_token_count=prompt,
        response_token_count=response,
        total_token_count=prompt + response,
    )
    return types.LiveServerMessage(
        server_content=types.LiveServerContent(turn_complete=True), usage_metadata=usage
    )


def tool_call(*calls: tuple[str, str, dict[str, Any]]) -> types.LiveServerMessage:
    """`calls` are (id, name, args)."""
    fcs = [types.FunctionCall(id=i, name=n, args=a) for i, n, a in calls]
    return types.LiveServerMessage(tool_call=types.LiveServerToolCall(function_calls=fcs))


def cancelled(*ids: str) -> types.LiveServerMessage:
    cancel = types.LiveServerToolCallCancellation(ids=list(ids))
    return types.LiveServerMessage(tool_call_cancellation=cancel)


def handle(new_handle: str, resumable: bool = True) -> types.LiveServerMessage:
    update = types.LiveServerSessionResumptionUpdate(new_handle=new_handle, resumable=resumable)
    return types.LiveServerMessage(session_resumption_update=update)


def go_away(time_left: str = "50s") -> types.LiveServerMessage:
    return types.LiveServerMessage(go_away=types.LiveServerGoAway(time_left=time_left))


def closed(code: int, reason: str = "") -> errors.APIError:
    """What the SDK raises from receive()/connect() for a close frame (docs/gemini-live.md §5.3)."""
    return errors.APIError(code, reason, None)


def send_closed(code: int = 1011) -> ConnectionClosedError:
    """What websockets raises from send_*() once the server closed."""
    return ConnectionClosedError(Close(code, "gone"), None)


# -- reading events ---------------------------------------------------------------------------


def strip_times(events: list[Event]) -> list[Event]:
    """Monotonic stamps differ per run; compare everything else."""
    out: list[Event] = []
    for event in events:
        if isinstance(event, Transcript):
            event = dataclasses.replace(event, started_at=None, ended_at=None)
        if isinstance(event, SpeechEnded):
            event = SpeechEnded()
        out.append(event)
    return out


async def until(stream: AsyncIterator[Event], kind: type, count: int = 1) -> list[Event]:
    """Events up to and including the `count`-th of `kind`, or to the end of the stream.
    The timeout only guards against a hung test; nothing here measures time."""
    out: list[Event] = []
    async with asyncio.timeout(5):
        async for event in stream:
            out.append(event)
            if isinstance(event, kind):
                count -= 1
                if count == 0:
                    break
    return out
