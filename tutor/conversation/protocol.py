"""The browser ⇄ server protocol of /ws/conversations/<uuid>/: frame validation and close codes.

Close codes mirror HTTP statuses in the 4000 range (DESIGN.md, "Browser ⇄ server protocol"):
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from jsonschema import Draft202012Validator

CLOSE_BAD_FRAME = 4400  # malformed JSON, unknown type, audio before start, misaligned audio
CLOSE_NOT_SIGNED_IN = 4401  # the conversation needs a signed-in owner (or the trial's browser)
CLOSE_NOT_YOURS = 4403  # someone else's conversation
CLOSE_TRIAL_OVER = 4408  # the anonymous trial (or the maximum length) is used up
CLOSE_GONE = 4410  # the conversation has ended; start a new one
CLOSE_TOO_LARGE = 4413  # a frame over the size limit
CLOSE_TOO_MANY = 4429  # inbound bytes (or frames) per second over the limit
CLOSE_UPSTREAM = 4502  # the tutor (Gemini Live) is unavailable

MAX_TEXT_FRAME = 4096  # bytes of JSON
MAX_TYPED_CHARS = 1000
MAX_AUDIO_MS = 120  # the page sends 20–40 ms; 100 ms is the documented ceiling, plus slack

# Opus on the wire (both directions): a binary frame is a bundle of one or more raw Opus
# packets (no Ogg, no OpusHead), each preceded by its length as a little-endian uint16.
# A bundle from the page holds at most MAX_AUDIO_MS of audio, the same ceiling as PCM frames;
# the server sends one bundle per chunk of tutor audio (Gemini's chunks are 40-200 ms).
OPUS_RATES = [8000, 12000, 16000, 24000, 48000]
MAX_OPUS_BUNDLE = 4000  # bytes; 120 ms at 24 kbit/s is ~360 bytes

START_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"const": "start"},
        "sampleRate": {"type": "integer", "minimum": 8000, "maximum": 96000},
        "format": {"enum": ["f32", "s16", "opus"]},
        "channels": {"enum": [1, 2]},
        # "pcm" (default): binary frames are `format` samples at `sampleRate`. "opus": Opus
        # bundles; `sampleRate` is the encoder's rate and `format` is ignored.
        "codec": {"enum": ["pcm", "opus"]},
        # The codec of tutor audio sent back; defaults to `codec`.
        "outputCodec": {"enum": ["pcm", "opus"]},
    },
    "required": ["type", "sampleRate"],
    "additionalProperties": False,
    "if": {"properties": {"codec": {"const": "opus"}}, "required": ["codec"]},
    "then": {"properties": {"sampleRate": {"enum": OPUS_RATES}}},
    "else": {"required": ["format"], "properties": {"format": {"enum": ["f32", "s16"]}}},
}
TEXT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"const": "text"},
        "text": {"type": "string", "minLength": 1, "maxLength": MAX_TYPED_CHARS},
    },
    "required": ["type", "text"],
    "additionalProperties": False,
}
SIMPLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"type": {"enum": ["end", "pause", "ping"]}},
    "required": ["type"],
    "additionalProperties": False,
}
_VALIDATORS = {
    "start": Draft202012Validator(START_SCHEMA),
    "text": Draft202012Validator(TEXT_SCHEMA),
    "end": Draft202012Validator(SIMPLE_SCHEMA),
    "pause": Draft202012Validator(SIMPLE_SCHEMA),
    "ping": Draft202012Validator(SIMPLE_SCHEMA),
}


class FrameError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


Codec = Literal["pcm", "opus"]


@dataclass(frozen=True)
class Start:
    sample_rate: int
    format: Literal["f32", "s16"]
    channels: int
    codec: Codec = "pcm"
    output_codec: Codec = "pcm"

    @property
    def bytes_per_frame(self) -> int:
        return (4 if self.format == "f32" else 2) * self.channels

    @property
    def max_frame_bytes(self) -> int:
        return self.sample_rate * MAX_AUDIO_MS // 1000 * self.bytes_per_frame


def parse_text_frame(raw: str) -> dict[str, Any]:
    """A validated control message, or FrameError(4400/4413)."""
    if len(raw) > MAX_TEXT_FRAME:
        raise FrameError(CLOSE_TOO_LARGE, "control message too large")
    try:
        message = json.loads(raw)
    except (ValueError, RecursionError):
        raise FrameError(CLOSE_BAD_FRAME, "control messages must be JSON") from None
    kind = message.get("type") if isinstance(message, dict) else None
    validator = _VALIDATORS.get(kind) if isinstance(kind, str) else None
    if validator is None:
        raise FrameError(CLOSE_BAD_FRAME, "unknown message type")
    error = next(iter(validator.iter_errors(message)), None)
    if error is not None:
        raise FrameError(CLOSE_BAD_FRAME, f"invalid {kind} message: {error.message[:120]}")
    # JSON Schema's "integer" admits 48000.0 and its enum admits 1.0 for 1: be exact.
    if kind == "start" and not all(_is_int(message.get(k, 1)) for k in ("sampleRate", "channels")):
        raise FrameError(CLOSE_BAD_FRAME, "invalid start message: numbers must be integers")
    if kind == "text" and not message["text"].strip():
        raise FrameError(CLOSE_BAD_FRAME, "empty text message")
    if kind == "text" and not storable_text(message["text"]):
        raise FrameError(CLOSE_BAD_FRAME, "text may not hold NUL characters or lone surrogates")
    return message


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def storable_text(text: str) -> bool:
    """Whether PostgreSQL can store `text`: no NUL characters, and no lone surrogates (a JSON
    "\\ud800" escape decodes to one, and UTF-8 cannot encode it)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_start(message: dict[str, Any]) -> Start:
    codec = message.get("codec", "pcm")
    return Start(
        sample_rate=message["sampleRate"],
        # Opus packets decode to PCM16; the declared format only matters for PCM frames.
        format="s16" if codec == "opus" else message["format"],
        channels=message.get("channels", 1),
        codec=codec,
        output_codec=message.get("outputCodec", codec),
    )


def check_audio_frame(start: Start | None, data: bytes) -> None:
    """A PCM audio frame fits the declared format, or FrameError(4400/4413)."""
    if start is None:
        raise FrameError(CLOSE_BAD_FRAME, "audio before start")
    if len(data) > start.max_frame_bytes:
        raise FrameError(CLOSE_TOO_LARGE, f"audio frames may hold at most {MAX_AUDIO_MS} ms")
    if not data or len(data) % start.bytes_per_frame:
        raise FrameError(CLOSE_BAD_FRAME, "audio frame length does not match its format")


def split_opus_bundle(start: Start | None, data: bytes) -> list[bytes]:
    """The Opus packets of one bundle, or FrameError: 4400 if malformed, 4413 if it holds
    more than MAX_AUDIO_MS. Durations come from each packet's TOC (RFC 6716 §3.1), so a
    flood of tiny packets cannot make the decoder produce minutes of audio."""
    if start is None:
        raise FrameError(CLOSE_BAD_FRAME, "audio before start")
    if len(data) > MAX_OPUS_BUNDLE:
        raise FrameError(CLOSE_TOO_LARGE, f"Opus bundles may hold at most {MAX_AUDIO_MS} ms")
    packets, offset, total_ms = [], 0, 0.0
    while offset < len(data):
        if offset + 2 > len(data):
            raise FrameError(CLOSE_BAD_FRAME, "truncated Opus bundle")
        size = int.from_bytes(data[offset : offset + 2], "little")
        packet = data[offset + 2 : offset + 2 + size]
        if not size or len(packet) != size:
            raise FrameError(CLOSE_BAD_FRAME, "truncated Opus bundle")
        total_ms += opus_packet_ms(packet)
        if total_ms > MAX_AUDIO_MS:
            raise FrameError(CLOSE_TOO_LARGE, f"Opus bundles may hold at most {MAX_AUDIO_MS} ms")
        packets.append(packet)
        offset += 2 + size
    if not packets:
        raise FrameError(CLOSE_BAD_FRAME, "empty Opus bundle")
    return packets


def opus_bundle(packets: list[bytes]) -> bytes:
    """Packets -> one bundle (see `split_opus_bundle`)."""
    return b"".join(len(p).to_bytes(2, "little") + p for p in packets)


# Frame duration in ms by TOC config (RFC 6716 §3.1): SILK 0-11, hybrid 12-15, CELT 16-31.
_OPUS_FRAME_MS = [10, 20, 40, 60] * 3 + [10, 20] * 2 + [2.5, 5, 10, 20] * 4


def opus_packet_ms(packet: bytes) -> float:
    """Audio duration of one raw Opus packet, from its TOC byte (and frame count byte)."""
    toc = packet[0]
    frames = (1, 2, 2, 0)[toc & 3]
    if not frames:  # code 3: the frame count is in the next byte
        if len(packet) < 2:
            raise FrameError(CLOSE_BAD_FRAME, "malformed Opus packet")
        frames = packet[1] & 0x3F
    duration = frames * _OPUS_FRAME_MS[toc >> 3]
    if not frames or duration > 120:  # RFC 6716: a packet holds at most 120 ms
        raise FrameError(CLOSE_BAD_FRAME, "malformed Opus packet")
    return duration


class ByteRate:
    """A token bucket over inbound bytes: `rate` bytes per second, bursts up to 2 s worth."""

    def __init__(self, rate: int, clock: Any) -> None:
        self.rate = rate
        self.capacity = rate * 2
        self.tokens = float(self.capacity)
        self.clock = clock
        self.stamp = clock()

    def allow(self, size: int) -> bool:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        self.tokens -= size
        return self.tokens >= 0
