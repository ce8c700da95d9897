"""A model of what the server must do with any sequence of conversation-socket frames (the
frames themselves come from frame_strategies.py).

The model is written from the protocol as documented (docs/ARCHITECTURE.md,
tutor/conversation/protocol.py's header), not from the consumer's code: a frame sequence goes
in, the expected close code (or none) and the typed learner lines that must be stored come
out.

Audio frames are abstract until sent: `Quiet(n)` becomes n bytes of near-silence in whatever
PCM format the last `start` declared (with the Opus codec: a bundle of n % 8 silent 20 ms
packets), so valid audio never trips the emulator's VAD and the only learner lines are typed
ones. `Raw` frames are at most 64 bytes of noise: even when accepted, far less than the VAD's
60 ms onset.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tutor.audio.opus import OpusDecoder, OpusEncoder
from tutor.audio.resample import AudioFormatError

MAX_TEXT_FRAME = 4096
MAX_TYPED = 1000
MAX_AUDIO_MS = 120
TYPES = ("start", "text", "end", "pause", "ping")
START_KEYS = {"type", "sampleRate", "format", "channels", "codec", "outputCodec"}
CODECS = ("pcm", "opus")
OPUS_RATES = (8000, 12000, 16000, 24000, 48000)
MAX_OPUS_BUNDLE = 4000


@dataclass(frozen=True)
class Text:
    raw: str


@dataclass(frozen=True)
class Raw:
    data: bytes


@dataclass(frozen=True)
class Quiet:
    size: int


Frame = Text | Raw | Quiet


@dataclass
class Expected:
    code: int | None = None  # the close code, None while the socket stays open
    typed: list[str] = field(default_factory=list)  # learner lines that must be stored
    ready: int = 0  # "ready" events owed
    pongs: int = 0  # "pong" events owed (one per valid ping)


@dataclass
class _Format:
    rate: int
    fmt: str  # what PCM frames hold; Opus packets decode to s16
    channels: int
    codec: str = "pcm"
    output_codec: str = "pcm"

    @property
    def frame_bytes(self) -> int:
        return (4 if self.fmt == "f32" else 2) * self.channels


def quiet_bytes(size: int, declared: _Format | None) -> bytes:
    """`size` bytes of near-silence (amplitude ~ -60 dBFS) in the declared format."""
    if declared is not None and declared.codec == "opus":
        return silent_bundle(size % 8)
    if declared is not None and declared.fmt == "f32":
        samples = np.full(size // 4 + 1, 0.001, np.float32).tobytes()
    else:
        samples = np.full(size // 2 + 1, 30, np.int16).tobytes()
    return samples[:size]


def _strict_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _one_of(value: Any, allowed: tuple[str, ...]) -> bool:
    return isinstance(value, str) and value in allowed


def _start(message: dict[str, Any]) -> _Format | None:
    """The declared format, or None if the start message is malformed."""
    if not {"type", "sampleRate"} <= message.keys() <= START_KEYS:
        return None
    rate, channels = message["sampleRate"], message.get("channels", 1)
    codec = message.get("codec", "pcm")
    output = message.get("outputCodec", codec)
    if not (_one_of(codec, CODECS) and _one_of(output, CODECS)):
        return None
    if not (_strict_int(rate) and 8000 <= rate <= 96000):
        return None
    if not (_strict_int(channels) and channels in (1, 2)):
        return None
    fmt = message.get("format")
    if "format" in message and not _one_of(fmt, ("f32", "s16", "opus")):
        return None
    if codec == "opus":  # the format is ignored; the rate must be one Opus encodes at
        return _Format(rate, "s16", channels, codec, output) if rate in OPUS_RATES else None
    if not _one_of(fmt, ("f32", "s16")):
        return None
    return _Format(rate, fmt, channels, codec, output)


def _typed(message: dict[str, Any]) -> str | None:
    text = message.get("text")
    if message.keys() != {"type", "text"} or not isinstance(text, str):
        return None
    if not 1 <= len(text) <= MAX_TYPED or not text.strip() or "\x00" in text:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate sent as a \ud800 JSON escape
        return None
    return text.strip()


class Model:
    """Feeds frames one by one; `expected` holds the outcome so far."""

    def __init__(self) -> None:
        self.expected = Expected()
        self.declared: _Format | None = None

    def feed(self, frame: Frame) -> None:
        if self.expected.code is not None:
            return  # the socket is closed: later frames do nothing
        match frame:
            case Text(raw):
                self._text(raw)
            case Raw(data):
                self._audio(data)
            case Quiet(size):
                self._audio(quiet_bytes(size, self.declared))

    def _text(self, raw: str) -> None:
        if len(raw) > MAX_TEXT_FRAME:
            self.expected.code = 4413
            return
        try:
            message = json.loads(raw)
        except (ValueError, RecursionError):
            self.expected.code = 4400
            return
        kind = message.get("type") if isinstance(message, dict) else None
        if not isinstance(kind, str) or kind not in TYPES:
            self.expected.code = 4400
        elif kind == "start":
            self._start(message)
        elif kind == "text":
            typed = _typed(message)
            if typed is None:
                self.expected.code = 4400
            else:
                self.expected.typed.append(typed)
        elif message.keys() != {"type"}:
            self.expected.code = 4400
        elif kind == "end":
            self.expected.code = 1000
        elif kind == "ping":
            self.expected.pongs += 1

    def _start(self, message: dict[str, Any]) -> None:
        declared = _start(message)
        if declared is None or (self.declared is not None and declared != self.declared):
            self.expected.code = 4400  # malformed, or a format change mid-stream
            return
        self.declared = declared
        self.expected.ready += 1

    def _audio(self, data: bytes) -> None:
        declared = self.declared
        if declared is None:
            self.expected.code = 4400
        elif declared.codec == "opus":
            self.expected.code = opus_verdict(data)
        elif len(data) > declared.rate * MAX_AUDIO_MS // 1000 * declared.frame_bytes:
            self.expected.code = 4413
        elif not data or len(data) % declared.frame_bytes or not _sane(data, declared):
            self.expected.code = 4400


def _sane(data: bytes, declared: _Format) -> bool:
    """f32 samples must be finite and not absurd (the sum of squares must not overflow)."""
    if declared.fmt != "f32":
        return True
    x = np.frombuffer(data, np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        return math.isfinite(float(x.dot(x)))


def silent_bundle(packets: int) -> bytes:
    """Length-prefixed raw Opus packets, each 20 ms of silence."""
    encoded = OpusEncoder(rate=16000, frame_ms=20).encode(bytes(640 * packets))
    return b"".join(len(p).to_bytes(2, "little") + p for p in encoded)


# Frame duration (ms) by TOC config, RFC 6716 §3.1: SILK 0-11, hybrid 12-15, CELT 16-31.
_TOC_MS = [10, 20, 40, 60] * 3 + [10, 20] * 2 + [2.5, 5, 10, 20] * 4


def _packet_ms(packet: bytes) -> float | None:
    code = packet[0] & 3
    if code == 3 and len(packet) < 2:
        return None
    count = (1, 2, 2, packet[1] & 0x3F if code == 3 else 0)[code]
    duration = count * _TOC_MS[packet[0] >> 3]
    return duration if count and duration <= 120 else None  # RFC 6716: at most 120 ms


def opus_verdict(data: bytes) -> int | None:
    """An Opus bundle: uint16-LE length + packet, repeated; at most 120 ms and 4000 bytes."""
    if len(data) > MAX_OPUS_BUNDLE:
        return 4413
    packets, offset, total = [], 0, 0.0
    while offset < len(data):
        size = int.from_bytes(data[offset : offset + 2], "little")
        packet = data[offset + 2 : offset + 2 + size]
        if offset + 2 > len(data) or not size or len(packet) != size:
            return 4400
        duration = _packet_ms(packet)
        if duration is None:
            return 4400
        total += duration
        if total > 120:
            return 4413
        packets.append(packet)
        offset += 2 + size
    if not packets:
        return 4400
    try:  # whether libopus takes the packet bytes is libopus's call
        decoder = OpusDecoder(rate=16000)
        for packet in packets:
            decoder.decode(packet)
    except AudioFormatError:
        return 4400
    return None


def materialize(frame: Frame, declared: _Format | None) -> str | bytes:
    match frame:
        case Text(raw):
            return raw
        case Raw(data):
            return data
        case Quiet(size):
            return quiet_bytes(size, declared)
    raise TypeError(frame)
