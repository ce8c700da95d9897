"""Test audio built with numpy: little-endian PCM bytes, no binary fixtures.

Every builder returns mono bytes at `sr` Hz in `fmt` ("s16": int16, "f32": float32, both
little-endian). Conversions are written here independently of `tutor.audio`, so the tests do not
check the code with itself.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

Fmt = Literal["s16", "f32"]

# (F1, F2, F3) in Hz of a few vowels; a "syllable" glides to the next one.
_VOWELS = np.array(
    [(730, 1090, 2440), (270, 2290, 3010), (530, 1840, 2480), (300, 870, 2240), (570, 840, 2410)]
)


def encode(x: np.ndarray, fmt: Fmt = "s16") -> bytes:
    """Float samples in [-1, 1] (any shape, interleaved if 2-D) as little-endian `fmt` bytes."""
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    if fmt == "f32":
        return x.astype("<f4").tobytes()
    return np.clip(np.rint(x * 32768), -32768, 32767).astype("<i2").tobytes()


def decode(data: bytes, fmt: Fmt = "s16") -> np.ndarray:
    """Little-endian `fmt` bytes as float64 samples in [-1, 1]."""
    if fmt == "f32":
        return np.frombuffer(data, "<f4").astype(np.float64)
    return np.frombuffer(data, "<i2") / 32768.0


def tone_array(hz: float, secs: float, sr: int, amp: float = 0.5) -> np.ndarray:
    """A sine of `hz` Hz, `secs` seconds at `sr` Hz, as float64 samples."""
    t = np.arange(round(secs * sr)) / sr
    return amp * np.sin(2 * np.pi * hz * t)


def tone(hz: float, secs: float, sr: int, fmt: Fmt = "s16", amp: float = 0.5) -> bytes:
    """A sine of `hz` Hz as mono `fmt` bytes at `sr` Hz (amp 0.5 is -9 dBFS RMS)."""
    return encode(tone_array(hz, secs, sr, amp), fmt)


def silence(secs: float, sr: int, fmt: Fmt = "s16") -> bytes:
    """Digital silence: `secs` seconds of zeros as mono `fmt` bytes at `sr` Hz."""
    return encode(np.zeros(round(secs * sr)), fmt)


def stereo(left: np.ndarray, right: np.ndarray, fmt: Fmt = "s16") -> bytes:
    """Two equal-length float channels as interleaved stereo `fmt` bytes."""
    return encode(np.stack([left, right], axis=1), fmt)


def speechlike_array(secs: float, sr: int, seed: int = 0) -> np.ndarray:
    """A voice-like float64 signal: a gliding 100-180 Hz pitch, harmonics shaped by vowel
    formants, 4-5 syllables a second, hiss for fricatives, and a short pause every 2 s."""
    rng = np.random.default_rng(seed)
    n = round(secs * sr)
    t = np.arange(n) / sr
    f0 = 140 + 25 * np.sin(2 * np.pi * 0.7 * t) + 12 * np.sin(2 * np.pi * 2.3 * t)
    phase = 2 * np.pi * np.cumsum(f0) / sr
    syllable = np.floor(t / 0.22).astype(np.int64)
    formants = _VOWELS[rng.integers(0, len(_VOWELS), syllable[-1] + 1 if n else 1)][syllable]
    top = min(5000.0, 0.45 * sr)
    hop = max(1, sr // 1000)  # formant gains change slowly: compute them once a millisecond
    f0_ms, formants_ms = f0[::hop], formants[::hop]
    harmonic = np.ones(n, dtype=np.complex128)
    step = np.exp(1j * phase)
    voice = np.zeros(n)
    for k in range(1, int(top / 100) + 1):
        harmonic *= step  # e^(i k phase) by recurrence, cheaper than k sines
        fk = k * f0_ms
        gain = sum(np.exp(-(((fk - formants_ms[:, i]) / 120.0) ** 2)) for i in range(3))
        gain = np.where(fk < top, (gain + 0.05) / k, 0.0)
        voice += np.repeat(gain, hop)[:n] * harmonic.imag
    envelope = np.sin(np.pi * (t / 0.22 % 1.0)) ** 2 * (t % 2.0 < 1.6)
    hiss = np.diff(rng.standard_normal(n + 1)) * 0.05 * (t / 0.22 % 1.0 < 0.15)
    x = voice * envelope + hiss * (t % 2.0 < 1.6)
    return 0.5 * x / max(float(np.abs(x).max()), 1e-9)


def speechlike(secs: float, sr: int, fmt: Fmt = "s16", seed: int = 0) -> bytes:
    """`speechlike_array` as mono `fmt` bytes at `sr` Hz, peaking at -6 dBFS."""
    return encode(speechlike_array(secs, sr, seed), fmt)


def unbundle(bundle: bytes) -> list[bytes]:
    """The raw Opus packets of one wire bundle, each after its little-endian uint16 length.
    Unlike the server's inbound split, no ceiling: a tutor chunk's bundle may be 200 ms."""
    packets, offset = [], 0
    while offset < len(bundle):
        size = int.from_bytes(bundle[offset : offset + 2], "little")
        packets.append(bundle[offset + 2 : offset + 2 + size])
        offset += 2 + size
    return packets
