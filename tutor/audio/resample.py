"""Audio conversions for the live pipeline: pure numpy + soxr, no Django.

Bytes are always little-endian. "PCM16" means int16 samples, "f32" float32 samples in [-1, 1].
The browser sends mono or interleaved stereo at its own rate (8-96 kHz); Gemini wants 16 kHz mono
PCM16 and answers with 24 kHz mono PCM16. Each conversation owns its own `InputResampler`
(soxr keeps filter history across chunks) and, for Opus on the wire, one codec state per
direction (`tutor.audio.opus`); none of them may be shared between conversations.
"""

from __future__ import annotations

import math
import sys
from typing import Any, Literal

import numpy as np
import soxr

if sys.byteorder != "little":  # np.frombuffer views below assume the wire order is native
    raise ImportError("tutor.audio.resample needs a little-endian CPU")

Fmt = Literal["f32", "s16"]
Quality = Literal["QQ", "LQ", "MQ", "HQ", "VHQ"]
MIN_RATE, MAX_RATE = 8_000, 96_000
_DTYPES: dict[str, np.dtype[Any]] = {"f32": np.dtype(np.float32), "s16": np.dtype(np.int16)}
# 0-d arrays: numpy resolves them faster than Python scalars, which matters every 20 ms.
_SCALE, _LO, _HI = (np.array(v, np.float32) for v in (32768.0, -32768.0, 32767.0))


class AudioFormatError(ValueError):
    """Audio that does not match what was declared; the message is safe to show the client."""


def check_rate(rate: int, what: str = "sample rate") -> int:
    """Return `rate` (Hz) if it is an int within 8000-96000, else raise AudioFormatError."""
    if isinstance(rate, bool) or not isinstance(rate, int) or not MIN_RATE <= rate <= MAX_RATE:
        raise AudioFormatError(
            f"{what} must be an integer from {MIN_RATE} to {MAX_RATE} Hz, got {rate!r}"
        )
    return rate


def _check_fmt(fmt: str, channels: int) -> None:
    if fmt not in _DTYPES:
        raise AudioFormatError(f"audio format must be 'f32' or 's16', got {fmt!r}")
    if isinstance(channels, bool) or channels not in (1, 2):
        raise AudioFormatError(f"channels must be 1 or 2, got {channels!r}")


def check_length(data: bytes, fmt: str, channels: int) -> None:
    frame = _DTYPES[fmt].itemsize * channels
    if len(data) % frame:
        raise AudioFormatError(
            f"got {len(data)} bytes of {fmt} {'stereo' if channels == 2 else 'mono'} audio; "
            f"the length must be a multiple of {frame} bytes"
        )


def _check_finite(x: np.ndarray) -> None:
    """Reject NaN/inf in float32 samples. The dot product is the cheap test (~0.3 µs for
    20 ms): it is non-finite iff a sample is, or a sample is beyond ~1e19 (absurd anyway)."""
    if math.isfinite(x.dot(x)):
        return
    bad = int(np.count_nonzero(~np.isfinite(x)))
    if bad:
        raise AudioFormatError(f"f32 audio contains {bad} NaN or infinite samples")
    raise AudioFormatError(
        "f32 audio samples must lie roughly within [-1, 1] (wrong byte order or format?)"
    )


def pcm16_to_float32(b: bytes) -> np.ndarray:
    """Little-endian PCM16 bytes (any rate, channels interleaved) as a new float32 array in
    [-1, 1), same rate and layout: x / 32768."""
    check_length(b, "s16", 1)
    return np.frombuffer(b, np.int16).astype(np.float32) / _SCALE


def _to_pcm16_inplace(y: np.ndarray) -> bytes:
    """float32 samples (overwritten: scaled, rounded, clipped) as PCM16 bytes."""
    np.multiply(y, _SCALE, out=y)
    np.rint(y, out=y)
    np.minimum(y, _HI, out=y)
    np.maximum(y, _LO, out=y)
    return y.astype(np.int16).tobytes()


def float32_to_pcm16(x: np.ndarray) -> bytes:
    """float32 samples in [-1, 1] (any rate and layout) as little-endian PCM16 bytes, same
    rate and layout: round(x * 32768), clipped to the int16 range. `x` is not modified."""
    y = np.array(x, dtype=np.float32).reshape(-1)
    _check_finite(y)
    return _to_pcm16_inplace(y)


def rms(pcm16: bytes) -> float:
    """RMS of PCM16 bytes (any rate, mono) as a fraction of full scale, 0..1. A full-scale
    square wave is 1.0, a full-scale sine 0.707; empty input is 0.0."""
    check_length(pcm16, "s16", 1)
    x = np.frombuffer(pcm16, np.int16).astype(np.float64)
    return math.sqrt(x.dot(x) / len(x)) / 32768.0 if len(x) else 0.0


def rms_dbfs(pcm16: bytes) -> float:
    """RMS of PCM16 bytes (any rate, mono) in dB relative to full scale; -inf for silence."""
    level = rms(pcm16)
    return 20.0 * math.log10(level) if level > 0 else -math.inf


def is_silence(pcm16: bytes, threshold_dbfs: float = -50.0) -> bool:
    """True when PCM16 bytes (any rate, mono) have an RMS level below `threshold_dbfs`."""
    return rms_dbfs(pcm16) < threshold_dbfs


class InputResampler:
    """Streaming converter: `fmt` little-endian audio at `in_rate` Hz, mono or interleaved
    stereo, to mono PCM16 at `out_rate` Hz. One per direction per conversation.

    s16 input runs through soxr's int16 path (no float conversion on our side; libsoxr adds
    ~-96 dBFS TPDF dither). f32 input is resampled as float32 and converted after, on the
    output samples (3x fewer from 48 kHz). Stereo is averaged to mono before resampling
    (linear, so the same as after, at half the cost).
    """

    def __init__(
        self,
        *,
        in_rate: int,
        fmt: Fmt,
        channels: int = 1,
        out_rate: int = 16_000,
        quality: Quality = "HQ",
    ) -> None:
        self.in_rate = check_rate(in_rate)
        self.out_rate = check_rate(out_rate, "output sample rate")
        _check_fmt(fmt, channels)
        self.fmt, self.channels = fmt, channels
        self._dtype = _DTYPES[fmt]
        self._float = fmt == "f32"
        self._frame_bytes = self._dtype.itemsize * channels
        self._stream = soxr.ResampleStream(in_rate, out_rate, 1, dtype=self._dtype, quality=quality)

    def check_rate(self, rate: int) -> None:
        """Raise AudioFormatError if the client now declares a different rate (Hz)."""
        if rate != self.in_rate:
            raise AudioFormatError(
                f"sample rate changed mid-stream from {self.in_rate} to {rate!r} Hz; "
                "start a new conversation"
            )

    def check_format(self, *, in_rate: int, fmt: str, channels: int = 1) -> None:
        """Raise AudioFormatError if a re-declared format differs from this stream's."""
        self.check_rate(in_rate)
        if (fmt, channels) != (self.fmt, self.channels):
            raise AudioFormatError(
                f"audio format changed mid-stream from {self.fmt}/{self.channels} ch "
                f"to {fmt}/{channels} ch; start a new conversation"
            )

    def process(self, data: bytes) -> bytes:
        """`fmt` bytes at `in_rate` Hz, `channels` interleaved -> mono PCM16 bytes at
        `out_rate` Hz. soxr emits in blocks (HQ: ~30 ms from 44.1/48 kHz, ~100 ms from
        8 kHz), so a call may return b"" and the next one more; `flush` returns the rest."""
        if len(data) % self._frame_bytes:
            check_length(data, self.fmt, self.channels)
        if not data:
            return b""
        x = np.frombuffer(data, self._dtype)
        if self._float:
            _check_finite(x)
        # soxr works on (frames, channels); handing it that shape skips its own reshapes.
        x = x[:, None] if self.channels == 1 else self._downmix(x.reshape(-1, 2))
        return self._out(self._stream.resample_chunk(x)[:, 0])

    def flush(self) -> bytes:
        """The last mono PCM16 samples at `out_rate` Hz held in the filter; then the
        resampler starts afresh, ready for a new stream at the same format."""
        tail = self._stream.resample_chunk(np.empty((0, 1), self._dtype), last=True)
        self._stream.clear()
        return self._out(tail[:, 0])

    def _downmix(self, x: np.ndarray) -> np.ndarray:
        """(frames, 2) -> (frames, 1), the mean of both channels."""
        if self._float:
            mono = x[:, :1] + x[:, 1:]
            mono *= 0.5
            return mono
        both = np.add(x[:, :1], x[:, 1:], dtype=np.int32)
        both >>= 1  # floor((l + r) / 2) always fits int16
        return both.astype(np.int16)

    def _out(self, y: np.ndarray) -> bytes:
        return _to_pcm16_inplace(y) if self._float else y.tobytes()
