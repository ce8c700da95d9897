"""How fast are tutor/audio/resample.py and tutor/audio/opus.py next to bare soxr?
Run: .venv/bin/python bench/dsp.py

One run, one signal: 60 s of 48 kHz speech-like audio (tests/audio.py) cut into 20 ms chunks.
Every variant runs once per round, rounds repeat, and each keeps its best time, so a busy
machine slows all variants alike. Ratios are per 20 ms chunk against bare
`soxr.ResampleStream.resample_chunk` on ready-made numpy chunks of the same dtype.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soxr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.audio import encode, speechlike_array
from tutor.audio.opus import OpusDecoder, OpusEncoder
from tutor.audio.resample import InputResampler

SECONDS, RATE, CHUNK_MS, ROUNDS = 60.0, 48_000, 20, 7
DTYPES = {"s16": np.int16, "f32": np.float32}


def chunks(data: bytes, bytes_per_chunk: int) -> list[bytes]:
    return [data[i : i + bytes_per_chunk] for i in range(0, len(data), bytes_per_chunk)]


def ours(fmt: str, pieces: list[bytes]) -> Callable[[], object]:
    def run() -> object:
        resampler = InputResampler(in_rate=RATE, fmt=fmt)  # type: ignore[arg-type]
        return [resampler.process(p) for p in pieces] + [resampler.flush()]

    return run


def bare(dtype: type, arrays: list[np.ndarray]) -> Callable[[], object]:
    def run() -> object:
        stream = soxr.ResampleStream(RATE, 16_000, 1, dtype=dtype)
        return [stream.resample_chunk(a) for a in arrays]

    return run


def naive(pieces: list[bytes]) -> Callable[[], object]:
    """The obvious f32 path: view, resample, scale, clip, cast, bytes."""

    def run() -> object:
        stream = soxr.ResampleStream(RATE, 16_000, 1)
        out = []
        for p in pieces:
            y = stream.resample_chunk(np.frombuffer(p, np.float32))
            out.append(np.clip(y * 32767, -32768, 32767).astype(np.int16).tobytes())
        return out

    return run


def best_times(variants: dict[str, Callable[[], object]]) -> dict[str, float]:
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(ROUNDS):
        for name, run in variants.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def resampling(signal: np.ndarray) -> None:
    variants: dict[str, Callable[[], object]] = {}
    for fmt, dtype in DTYPES.items():
        data = encode(signal, fmt)  # type: ignore[arg-type]
        pieces = chunks(data, RATE * CHUNK_MS // 1000 * np.dtype(dtype).itemsize)
        variants[f"ours {fmt}"] = ours(fmt, pieces)
        variants[f"bare {fmt}"] = bare(dtype, [np.frombuffer(p, dtype) for p in pieces])
        array = np.frombuffer(data, dtype)
        variants[f"one-shot {fmt}"] = lambda a=array: soxr.resample(a, RATE, 16_000)
    variants["naive f32"] = naive(chunks(encode(signal, "f32"), RATE * CHUNK_MS // 1000 * 4))
    best = best_times(variants)
    n_chunks = SECONDS * 1000 / CHUNK_MS
    print(f"Resampling {SECONDS:.0f} s of {RATE} Hz speech-like audio to 16 kHz, best of {ROUNDS}")
    for name, secs in best.items():
        per_chunk = secs / n_chunks * 1e6
        print(f"  {name:14s} {SECONDS / secs:8,.0f}x realtime  {per_chunk:5.2f} us/chunk")
    for fmt in DTYPES:
        ratio = best[f"ours {fmt}"] / best[f"bare {fmt}"]
        print(f"  ours/bare {fmt}: {ratio:.3f}x the time per {CHUNK_MS} ms chunk")
    print(f"  ours s16/bare f32: {best['ours s16'] / best['bare f32']:.3f}x")


def opus(signal: np.ndarray) -> None:
    pcm = encode(soxr.resample(signal, RATE, 24_000), "s16")
    pieces = chunks(pcm, 24 * CHUNK_MS * 2)
    packets: list[bytes] = []

    def run_encode() -> None:
        encoder = OpusEncoder(rate=24_000, bitrate=24_000, frame_ms=CHUNK_MS)
        packets[:] = [p for piece in pieces for p in encoder.encode(piece)] + encoder.flush()

    def run_decode(rate: int) -> Callable[[], object]:
        def run() -> object:
            decoder = OpusDecoder(rate=rate)
            return [decoder.decode(p) for p in packets] + [decoder.flush()]

        return run

    run_encode()
    best = best_times(
        {
            "encode 24k": run_encode,
            "decode 48k": run_decode(48_000),
            "decode 16k": run_decode(16_000),
        }
    )
    size = sum(len(p) for p in packets)
    print(f"Opus: {SECONDS:.0f} s of 24 kHz mono, 24 kbit/s VBR, {CHUNK_MS} ms frames")
    for name, secs in best.items():
        print(f"  {name:14s} {SECONDS / secs:8,.0f}x realtime")
    print(f"  {size * 60 / SECONDS / 1e6:.3f} MB a minute, {size / len(packets):.1f} B a packet")


def main() -> None:
    signal = speechlike_array(SECONDS, RATE)
    resampling(signal)
    opus(signal)


if __name__ == "__main__":
    main()
