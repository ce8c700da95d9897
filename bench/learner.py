"""A simulated learner for the benchmarks: the page's WebSocket protocol, without a browser.

The microphone is 48 kHz mono PCM16 in 20 ms frames, as the page captures it: real Spanish
speech (espeak-ng, the emulator's voice) when the learner talks, otherwise a -60 dBFS noise
floor (a real microphone with noise suppression is quiet, not digitally silent). With Opus the
frames are encoded as the page's WebCodecs encoder does (bench/webcodecs_opus.py: libopus with
the page's bitrate and DTX) and sent as the page sends them (static/js/conversation/opus.js):
two packets to a frame, and once the encoder has skipped two frames, the packet waiting for
its pair with one DTX packet for each skipped frame, then nothing until it speaks again.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from websockets.asyncio.client import ClientConnection, connect

from bench.webcodecs_opus import WebCodecsOpus
from tutor.audio.opus_framing import opus_bundle
from tutor.emulator.voice import synthesize

RATE = 48_000
FRAME_MS = 20
FRAME_SAMPLES = RATE * FRAME_MS // 1000
SENTENCES = (
    "Yo soy cansado hoy, trabajé mucho.",
    "Me gusta leer libros y escuchar a la música.",
    "El fin de semana pasado fui a la playa con mis amigos.",
    "Hacía sol, pero el agua era muy fría.",
)
NOISE_DBFS = -60.0
UP_BITRATE = 16_000  # bit/s, as static/js/conversation/opus.js asks WebCodecs for
QUIET_FRAMES = 2  # frames without a packet before the page says its encoder went quiet
SILK_WB_20MS = 9 << 3  # a TOC byte for a DTX packet before any packet came out


def speech(sentence: str) -> np.ndarray:
    """A sentence as int16 samples at 48 kHz."""
    return np.frombuffer(synthesize(sentence, "es", sample_rate=RATE), np.int16)


def noise(samples: int, rng: np.random.Generator) -> np.ndarray:
    scale = 32768 * 10 ** (NOISE_DBFS / 20)
    return np.clip(rng.normal(0, scale, samples), -32768, 32767).astype(np.int16)


class Mic:
    """20 ms frames on demand: queued speech first, the noise floor otherwise."""

    def __init__(self, seed: int = 0) -> None:
        self._rng = np.random.default_rng(seed)
        self._queued = np.zeros(0, np.int16)

    def say(self, samples: np.ndarray) -> float:
        """Queue speech; returns its duration in seconds."""
        self._queued = np.concatenate([self._queued, samples])
        return len(samples) / RATE

    def hush(self) -> None:
        """Drop what is still queued."""
        self._queued = self._queued[:0]

    @property
    def talking(self) -> bool:
        return len(self._queued) > 0

    def frame(self) -> bytes:
        take, self._queued = self._queued[:FRAME_SAMPLES], self._queued[FRAME_SAMPLES:]
        if len(take) < FRAME_SAMPLES:
            take = np.concatenate([take, noise(FRAME_SAMPLES - len(take), self._rng)])
        return take.tobytes()


class Uplink:
    """Turns 20 ms PCM frames into what the page sends: the frame itself, or Opus bundles
    as static/js/conversation/opus.js builds them (`Uplink.encode` and `Uplink.output`)."""

    def __init__(self, codec: str) -> None:
        self.codec = codec
        self._encoder = WebCodecsOpus(rate=RATE, bitrate=UP_BITRATE, frame_ms=FRAME_MS)
        self._packets: list[bytes] = []
        self._skipped = 0  # frames in a row the encoder sent nothing for
        self._quiet = False
        self._toc = SILK_WB_20MS

    def start_message(self) -> dict[str, Any]:
        if self.codec == "opus":
            return {"type": "start", "codec": "opus", "sampleRate": RATE, "channels": 1}
        return {"type": "start", "sampleRate": RATE, "format": "s16", "channels": 1}

    def frames(self, pcm: bytes) -> list[bytes]:
        if self.codec == "pcm":
            return [pcm]
        out = []
        if self._skipped >= QUIET_FRAMES and not self._quiet:  # noticed before the next frame
            self._quiet = True
            dtx = [bytes([self._toc])] * self._skipped
            out.append(opus_bundle(self._packets + dtx))
            self._packets = []
        packet = self._encoder.encode(pcm)
        if packet is None:
            self._skipped += 1
            return out
        self._skipped, self._quiet, self._toc = 0, False, packet[0] & 0xFC
        self._packets.append(packet)
        if len(self._packets) >= 2:
            out.append(opus_bundle(self._packets))
            self._packets = []
        return out


@dataclass
class Downlink:
    """What the server sent: audio bytes, events, and when the last turn completed."""

    audio_bytes: int = 0
    audio_frames: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    turns_done: int = 0
    turn_done: asyncio.Event = field(default_factory=asyncio.Event)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    on_audio: Callable[[bytes], None] | None = None
    error: dict[str, Any] | None = None  # the server's first `error` event

    async def read(self, ws: ClientConnection) -> None:
        try:
            async for message in ws:
                if isinstance(message, bytes):
                    self.audio_bytes += len(message)
                    self.audio_frames += 1
                    if self.on_audio is not None:
                        self.on_audio(message)
                    continue
                self._event(json.loads(message))
        finally:
            self.closed.set()

    def _event(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        if event["type"] == "ready":
            self.ready.set()
        elif event["type"] == "turn_complete":
            self.turns_done += 1
            self.turn_done.set()
        elif event["type"] == "error" and self.error is None:
            self.error = event
            self.turn_done.set()  # wake a waiter: the turn will not come

    async def next_turn(self, within: float = 60.0) -> None:
        """Until the next turn_complete; RuntimeError if the server reported an error."""
        self.turn_done.clear()
        async with asyncio.timeout(within):
            await self.turn_done.wait()
        if self.error is not None:
            raise RuntimeError(f"server error: {self.error}")


async def open_socket(
    base_url: str, conversation_id: str, cookie: str, headers: dict[str, str] | None = None
) -> ClientConnection:
    """`headers`: more request headers (e.g. the test proxy's worker choice, tests/nginx.py)."""
    ws_url = base_url.replace("http", "ws", 1) + f"/ws/conversations/{conversation_id}/"
    return await connect(
        ws_url,
        additional_headers={"Cookie": cookie, "Origin": base_url, **(headers or {})},
        compression=None,  # Daphne does not negotiate permessage-deflate; browsers get none
        max_size=None,
        open_timeout=60,
        ping_interval=None,
    )


def pace(start: float, index: int, frame_ms: float = FRAME_MS) -> float:
    """Seconds to sleep so that frame `index` leaves at start + index * frame_ms."""
    return max(0.0, start + index * frame_ms / 1000 - time.monotonic())
