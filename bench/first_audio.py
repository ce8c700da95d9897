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
import contextlib
import json
import time
from dataclasses import dataclass, field

import numpy as np
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

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

    def forget(self) -> None:
        """The sentence said last will get no answer (its session ended)."""
        self._said = None

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
    """The learner script of bench/bandwidth.py through the bare relay (PCM both ways). The
    relay does not resume a Live session the emulator ends (goAway, a fault): the learner
    opens a new one and goes on."""
    ear, mic, uplink = Ear(), Mic(seed=1), Uplink("pcm")
    opened, said = time.monotonic(), 0
    while time.monotonic() - opened < minutes * 60:
        said = await _bare_session(url, ear, mic, uplink, said, opened + minutes * 60)
    return ear


async def _bare_session(
    url: str, ear: Ear, mic: Mic, uplink: Uplink, said: int, until: float
) -> int:
    """Sentences through one bare-relay connection until `until` or the connection ends;
    returns how many sentences were said so far."""
    start = {**uplink.start_message(), "instruction": "Bare relay, time to first audio."}
    async with connect(url, compression=None, max_size=None, ping_interval=None) as ws:
        await ws.send(json.dumps(start))
        await ws.recv()  # ready
        reader = asyncio.create_task(_read(ws, ear))
        streaming = asyncio.create_task(stream(ws, mic, uplink, ear, [0]))
        try:
            await asyncio.sleep(1.5)  # a greeting, if the emulator gives one here
            await _until_quiet(ear)
            while time.monotonic() < until and not reader.done():
                ear.answered.clear()
                mic.say(speech(SENTENCES[said % len(SENTENCES)]))
                said += 1
                answer = asyncio.ensure_future(ear.answered.wait())
                await asyncio.wait({answer, reader}, timeout=60, return_when="FIRST_COMPLETED")
                answer.cancel()
                if reader.done() or not ear.answered.is_set():
                    break  # the relay closed, or no answer came: a new session
                await _until_quiet(ear)
                await asyncio.sleep(0.6)  # the learner thinks before answering
        finally:
            streaming.cancel()
            reader.cancel()
            await asyncio.gather(streaming, reader, return_exceptions=True)
    mic.hush()  # a sentence cut by the end of the session is not finished in the next
    ear.forget()
    return said


async def _read(ws: ClientConnection, ear: Ear) -> None:
    with contextlib.suppress(ConnectionClosed):
        async for message in ws:
            if isinstance(message, bytes):
                ear.heard()


async def _until_quiet(ear: Ear) -> None:
    """Until no tutor audio came for QUIET_S (a condition on the clock: polled)."""
    while (left := QUIET_S - (time.monotonic() - ear.last_audio)) > 0:  # noqa: ASYNC110
        await asyncio.sleep(left)
