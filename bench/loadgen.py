"""The load of bench/relay.py: N learners streaming real speech in real time, and what the
emulator's arrival log says about each of their frames.

Each learner streams a loop of Spanish sentences (espeak-ng) and pauses at 48 kHz, from its
own offset, in frames of `frame_ms`, all clients driven by one scheduler so that frame k of
client i leaves at t0 + i/N * frame + k * frame. The send time of every frame is kept.

Matching a frame to its arrival at the emulator: the relay turns each frame into zero or one
upstream message (soxr emits in ~30 ms blocks), and the SIZES of those messages are
deterministic (the content is not: libsoxr dithers int16 output at random). Replaying the
same conversion here gives the cumulative byte count after each frame; the emulator logs the
cumulative count at each arrival; equal counts pair a frame with its arrival. A frame whose
count never shows up was dropped, or reordered with a neighbour of another size.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from bench.learner import RATE, SENTENCES, UP_BITRATE, Downlink, noise, speech
from tests.audio import unbundle
from tutor.audio.opus import OpusDecoder, OpusEncoder
from tutor.audio.opus_framing import opus_bundle
from tutor.audio.resample import InputResampler

PAUSE_S = 5.0  # between sentences: the tutor answers in the pause, mostly uninterrupted


def speech_loop() -> np.ndarray:
    """int16 samples at 48 kHz: each sentence followed by a pause at the noise floor."""
    rng = np.random.default_rng(7)
    parts = []
    for sentence in SENTENCES:
        parts += [speech(sentence), noise(int(PAUSE_S * RATE), rng)]
    return np.concatenate(parts)


def frames_of(loop: np.ndarray, codec: str, frame_ms: int) -> list[bytes]:
    """The loop cut into what the page sends: PCM16 frames, or Opus bundles of 20 ms packets
    at the page's bitrate, without DTX: matching frames to arrivals needs every frame to
    reach the emulator as audio (bench/bandwidth.py measures DTX)."""
    if codec == "pcm":
        step = RATE * frame_ms // 1000
        usable = len(loop) - len(loop) % step
        return [loop[i : i + step].tobytes() for i in range(0, usable, step)]
    packets = OpusEncoder(rate=RATE, bitrate=UP_BITRATE, frame_ms=20).encode(loop.tobytes())
    per = max(1, frame_ms // 20)
    usable = len(packets) - len(packets) % per
    return [opus_bundle(packets[i : i + per]) for i in range(0, usable, per)]


@dataclass
class Stream:
    """One learner's socket and the frames it sent."""

    ws: ClientConnection | None  # None: it never opened (`failed` says why)
    downlink: Downlink
    label: str  # sha1 of the system instruction, as the emulator logs it
    offset: int
    reader: asyncio.Task[None] | None = None  # kept until the end, as asyncio requires
    sent_at: list[float] = field(default_factory=list)
    lag: list[float] = field(default_factory=list)  # send time - due time, seconds
    failed: str = ""


async def pump(
    streams: list[Stream], frames: list[bytes], frame_ms: int, t0: float, stop_at: float
) -> None:
    """Send every stream's frames on schedule until `stop_at` (monotonic seconds)."""
    period = frame_ms / 1000
    heap = [(t0 + i * period / len(streams), i) for i in range(len(streams))]
    heapq.heapify(heap)
    while heap:
        due, index = heap[0]
        now = time.monotonic()
        if due > now:
            await asyncio.sleep(due - now)
            continue
        heapq.heappop(heap)
        stream = streams[index]
        if due >= stop_at or stream.failed:
            continue
        assert stream.ws is not None  # failed streams were skipped above
        frame = frames[(stream.offset + len(stream.sent_at)) % len(frames)]
        stream.lag.append(now - due)
        stream.sent_at.append(time.monotonic())
        try:
            await stream.ws.send(frame)
        except ConnectionClosed as exc:
            stream.failed = f"closed {exc.rcvd.code if exc.rcvd else 1006}"
        heapq.heappush(heap, (due + period, index))


def expected_sizes(frames: list[bytes], offset: int, count: int, codec: str) -> list[int]:
    """Bytes of 16 kHz PCM the server forwards for each of `count` frames from `offset`."""
    if codec == "pcm":
        resampler = InputResampler(in_rate=RATE, fmt="s16")
        return [len(resampler.process(frames[(offset + k) % len(frames)])) for k in range(count)]
    decoder = OpusDecoder(rate=16_000)
    sizes = []
    for k in range(count):
        bundle = frames[(offset + k) % len(frames)]
        sizes.append(sum(len(decoder.decode(p)) for p in unbundle(bundle)))
    return sizes


def read_arrivals(path: Path) -> dict[str, list[tuple[int, float]]]:
    """label -> [(cumulative bytes, arrival time)] for every session in the log."""
    labels: dict[str, str] = {}
    chunks: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for line in path.read_text().splitlines():
        parts = line.split()
        if parts[1] == "s":
            labels[parts[0]] = parts[2]
        else:
            chunks[parts[0]].append((int(parts[2]), float(parts[3])))
    out: dict[str, list[tuple[int, float]]] = {}
    for session, label in labels.items():
        sizes = [size for size, _ in chunks.get(session, [])]
        times = [t for _, t in chunks.get(session, [])]
        out[label] = list(zip(itertools.accumulate(sizes), times, strict=True))
    return out


@dataclass
class Matched:
    latencies_ms: list[float] = field(default_factory=list)
    missing: int = 0
    frames: int = 0  # frames in the window that carried audio upstream


def match(
    stream: Stream,
    frames: list[bytes],
    arrivals: list[tuple[int, float]],
    codec: str,
    window: tuple[float, float],
) -> Matched:
    """Latency of each frame sent within `window` that produced upstream audio."""
    sizes = expected_sizes(frames, stream.offset, len(stream.sent_at), codec)
    seen = dict(arrivals)
    result = Matched()
    for sent, cumulative, size in zip(
        stream.sent_at, itertools.accumulate(sizes), sizes, strict=True
    ):
        if not size or not window[0] <= sent < window[1]:
            continue
        result.frames += 1
        arrived = seen.get(cumulative)
        if arrived is None:
            result.missing += 1
        else:
            result.latencies_ms.append((arrived - sent) * 1000)
    return result
