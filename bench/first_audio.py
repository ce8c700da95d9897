"""Time to first tutor audio as the learner's ear has it, and a bare relay's in the same run:
what the server adds is the difference (bench/bandwidth.py prints it).

`Ear` times each answer on the client: from the send of the frame that carried the end of
the learner's sentence to the first tutor audio frame received after it. That holds the
emulator's 600 ms of end-of-speech silence and its own reply time, which the bare relay's
conversation (bench/bare_relay.py: soxr and a socket, the same emulator and learner script)
holds too; the rest is ours: Django, the consumer, the SDK, the codec and its bundling.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field

import numpy as np
from websockets.asyncio.client import ClientConnection, connect

from bench.learner import SENTENCES, Mic, Uplink, pace, speech

QUIET_S = 1.0  # no tutor audio for this long: the bare relay's answer is over (no events)


@dataclass
class Ear:
    """End of the learner's speech on the wire -> the tutor's first audio after it."""

    latencies_ms: list[float] = field(default_factory=list)
    last_audio: float = 0.0
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    _said: float | None = None

    def said(self) -> None:
        self._said = time.monotonic()

    def heard(self) -> None:
        self.last_audio = time.monotonic()
        if self._said is not None:
            self.latencies_ms.append((self.last_audio - self._said) * 1000)
            self._said = None
            self.answered.set()

    def percentiles(self) -> tuple[float, float]:
        if not self.latencies_ms:
            return (float("nan"), float("nan"))
        p50, p95 = np.percentile(self.latencies_ms, [50, 95])
        return float(p50), float(p95)


async def stream(ws: ClientConnection, mic: Mic, uplink: Uplink, ear: Ear, sent: list[int]) -> None:
    """The microphone in real time, as the page streams it; tells `ear` when the frame that
    ends a sentence leaves (with Opus, the bundle that carries it)."""
    start, ending = time.monotonic(), False
    for index in range(10**9):
        talking = mic.talking
        frames = uplink.frames(mic.frame())
        ending = ending or (talking and not mic.talking)
        for frame in frames:
            sent[0] += len(frame)
            await ws.send(frame)
        if ending and frames:
            ear.said()
            ending = False
        await asyncio.sleep(pace(start, index + 1))


async def bare_conversation(url: str, minutes: float) -> Ear:
    """The learner script of bench/bandwidth.py through the bare relay (PCM both ways)."""
    ear, mic, uplink = Ear(), Mic(seed=1), Uplink("pcm")
    start = {**uplink.start_message(), "instruction": "Bare relay, time to first audio."}
    async with connect(url, compression=None, max_size=None, ping_interval=None) as ws:
        await ws.send(json.dumps(start))
        await ws.recv()  # ready
        reader = asyncio.create_task(_read(ws, ear))
        streaming = asyncio.create_task(stream(ws, mic, uplink, ear, [0]))
        await asyncio.sleep(1.5)  # a greeting, if the emulator gives one here
        await _until_quiet(ear)
        opened = time.monotonic()
        for index in range(1000):
            if time.monotonic() - opened >= minutes * 60:
                break
            ear.answered.clear()
            mic.say(speech(SENTENCES[index % len(SENTENCES)]))
            async with asyncio.timeout(60):
                await ear.answered.wait()
                await _until_quiet(ear)
            await asyncio.sleep(0.6)  # the learner thinks before answering
        streaming.cancel()
        reader.cancel()
    return ear


async def _read(ws: ClientConnection, ear: Ear) -> None:
    async for message in ws:
        if isinstance(message, bytes):
            ear.heard()


async def _until_quiet(ear: Ear) -> None:
    """Until no tutor audio came for QUIET_S (a condition on the clock: polled)."""
    while (left := QUIET_S - (time.monotonic() - ear.last_audio)) > 0:  # noqa: ASYNC110
        await asyncio.sleep(left)
