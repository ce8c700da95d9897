"""Conversation fixtures: the emulator behind the real SDK, and a WebSocket client for it."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import numpy as np
import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import override_settings

from tutor.conversation.registry import REGISTRY
from tutor.emulator import Emulator
from tutor.emulator.behaviour import Behaviour
from tutor.emulator.voice import synthesize
from tutor.live import upstream
from tutor.routing import websocket_urlpatterns


async def finish_runtimes() -> None:
    """Finish every conversation runtime left open, then close the connection the runtimes
    wrote from (channels' database thread) so the test database can be dropped."""
    for runtime in list(REGISTRY.values()):
        await runtime.finish("test_teardown")
    await database_sync_to_async(connections.close_all)()


@pytest.fixture
async def no_runtime_leaks() -> AsyncIterator[None]:
    yield
    await finish_runtimes()


# What a test of the conversation socket needs: writes that commit (the runtime writes from
# Channels' database thread), and no runtime left running after it. `pytestmark = SOCKET_TEST`.
SOCKET_TEST = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("no_runtime_leaks"),
]


StartEmulator = Callable[..., Awaitable[Emulator]]
# Seeds of the realistic emulator for the key spoken-loop tests: each one scatters the input
# transcription and the NON_BLOCKING calls differently around the reply (see scatter.py).
SEEDS = (3, 17, 2024)


@pytest.fixture
def emulator_silence_ms() -> int:
    """The quiet that ends a learner's turn. Short here, so conversations run quickly; the
    emulator's own tests and the bridge's keep its default (their conftest.py)."""
    return 300


@pytest.fixture
async def start_emulator(emulator_silence_ms: int) -> AsyncIterator[StartEmulator]:
    """Start emulators for one test, the settings pointed at the newest: `pace` 0 sends tutor
    audio as fast as it can, 1.0 in real time; `behaviour` defaults to the unruly one seeded
    by EMULATOR_SEED; other keywords are settings to override with it."""
    emulators: list[Emulator] = []
    with contextlib.ExitStack() as stack:

        async def start(
            *, pace: float = 0, behaviour: Behaviour | None = None, **settings: object
        ) -> Emulator:
            emu = Emulator(pace=pace, silence_ms=emulator_silence_ms, behaviour=behaviour)
            await emu.start()
            emulators.append(emu)
            stack.enter_context(
                override_settings(
                    GOOGLE_GEMINI_BASE_URL=emu.base_url,
                    GEMINI_CA_FILE=emu.ca_file,
                    GEMINI_API_KEY="",
                    **settings,
                )
            )
            upstream.client.cache_clear()
            return emu

        yield start
        for emu in emulators:
            await emu.stop()
    upstream.client.cache_clear()


@pytest.fixture
async def emulator(start_emulator: StartEmulator) -> Emulator:
    return await start_emulator()


@pytest.fixture
async def orderly_emulator(start_emulator: StartEmulator) -> Emulator:
    """The tidy order (whole input transcription, then the calls, then the audio), for the
    tests that pin that sequence on purpose; the default emulator scatters them by seed."""
    return await start_emulator(behaviour=Behaviour(orderly=True))


@pytest.fixture
async def realtime_emulator(start_emulator: StartEmulator) -> Emulator:
    """Tutor audio in real time, so the learner can talk over it."""
    return await start_emulator(pace=1.0)


@pytest.fixture(params=SEEDS, ids=lambda seed: f"seed{seed}")
async def seeded_emulator(
    request: pytest.FixtureRequest, start_emulator: StartEmulator
) -> Emulator:
    return await start_emulator(behaviour=Behaviour(seed=request.param))


def spanish_48k(text: str = "Yo soy cansado hoy", silence_s: float = 0.8) -> bytes:
    """Real synthesized Spanish at 48 kHz PCM16 mono, then silence so the VAD ends the turn."""
    speech = np.frombuffer(synthesize(text, "es", sample_rate=48000), np.int16)
    return np.concatenate([speech, np.zeros(int(48000 * silence_s), np.int16)]).tobytes()


class Client:
    """A browser stand-in on the conversation socket: collects JSON events and audio bytes."""

    def __init__(self, conversation_id: Any, *, user: Any = None, session: Any = None) -> None:
        app = URLRouter(websocket_urlpatterns)
        self.ws = WebsocketCommunicator(app, f"/ws/conversations/{conversation_id}/")
        self.ws.scope["user"] = user if user is not None else _anonymous()
        self.ws.scope["session"] = session if session is not None else {}
        self.events: list[dict[str, Any]] = []
        self.audio = bytearray()
        self.close_code: int | None = None

    async def connect(self) -> None:
        connected, _ = await self.ws.connect(timeout=10)
        assert connected

    async def send(self, **message: Any) -> None:
        await self.ws.send_to(text_data=json.dumps(message))

    async def start(self, rate: int = 48000, fmt: str = "s16", **fields: str) -> None:
        """Declare the audio format: PCM `fmt` at `rate`, or with codec="opus" Opus bundles
        (`outputCodec` may differ)."""
        start = {"type": "start", "sampleRate": rate, **fields}
        await self.send(**start, **({} if fields.get("codec") == "opus" else {"format": fmt}))

    async def speak(self, pcm: bytes, *, rate: int = 48000, frame_ms: int = 20) -> None:
        step = rate * frame_ms // 1000 * 2
        for i in range(0, len(pcm) - step + 1, step):
            await self.ws.send_to(bytes_data=pcm[i : i + step])
            await asyncio.sleep(0)  # let the consumer and the bridge run, as a real stream would

    async def until(self, match: Callable[[dict[str, Any]], bool], within: float = 15) -> dict:
        """Read frames until an event matches; returns it. Fails on close or timeout."""
        for event in self.events:
            if match(event):
                return event
        async with asyncio.timeout(within):
            while True:
                output = await self.ws.receive_output(within)
                if output["type"] == "websocket.close":
                    self.close_code = output.get("code")
                    raise AssertionError(f"closed with {self.close_code}; saw {self.kinds()}")
                if output.get("bytes") is not None:
                    self.audio.extend(output["bytes"])
                    continue
                event = json.loads(output["text"])
                self.events.append(event)
                if match(event):
                    return event

    async def closed(self, within: float = 15) -> int | None:
        """Read until the server closes; returns the close code."""
        async with asyncio.timeout(within):
            while True:
                output = await self.ws.receive_output(within)
                if output["type"] == "websocket.close":
                    self.close_code = output.get("code")
                    return self.close_code
                if output.get("text"):
                    self.events.append(json.loads(output["text"]))
                elif output.get("bytes"):
                    self.audio.extend(output["bytes"])

    def kinds(self) -> list[str]:
        return [e["type"] for e in self.events]

    async def disconnect(self) -> None:
        await self.ws.disconnect()


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def final(speaker: str) -> Callable[[dict[str, Any]], bool]:
    return lambda e: e["type"] == "transcript" and e["final"] and e["speaker"] == speaker


def kind(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda e: e["type"] == name
