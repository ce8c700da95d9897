"""The browser ⇄ server protocol of /ws/conversations/<uuid>/: frame validation, limits and
every close code.

Close codes mirror HTTP statuses in the 4000 range (docs/ARCHITECTURE.md, "Browser ⇄ server
protocol"). What an audio frame may be (`Start`, `FrameError`, the 120 ms ceiling) is
`tutor.audio.frames`; Opus bundles are split in `tutor.audio.opus_framing`; the inbound rate
limit is `tutor.audio.rate_limit`.
"""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator

from tutor.audio.frames import OPUS_RATES, FrameError, Start

# Every close code of the conversation socket (and of the teacher's live view, which uses
# 4401 and 4403), in one place. The page gets them with their notices (`close_notices.py`).
CLOSE_NORMAL = 1000  # the learner ended the conversation
# The page reconnects on any code but 1000 and the 4000s, and Daphne (autobahn) can send only
# 1000 and 3000-4999: so the two "come back" codes are 1012 and 1013's lookalikes in the 3000s.
CLOSE_MOVED = 3012  # this process is stopping (or lost the conversation): reconnect elsewhere
CLOSE_TRY_AGAIN = 3013  # the database, or the conversation's owner, is busy: the page retries
CLOSE_BAD_FRAME = 4400  # malformed JSON, unknown type, audio before start, misaligned audio
CLOSE_NOT_SIGNED_IN = 4401  # the conversation needs a signed-in owner (or the trial's browser)
CLOSE_NOT_YOURS = 4403  # someone else's conversation (or assignment, for the live view)
CLOSE_TRIAL_OVER = 4408  # the anonymous trial (or the maximum length) is used up
CLOSE_REPLACED = 4409  # the conversation was opened in another tab
CLOSE_GONE = 4410  # the conversation has ended; start a new one
CLOSE_TOO_LARGE = 4413  # a frame over the size limit
CLOSE_TOO_MANY = 4429  # inbound bytes (or frames) per second over the limit
CLOSE_TUTOR_UNAVAILABLE = 4502  # the tutor (Gemini Live) is unavailable

MAX_TEXT_FRAME = 4096  # bytes of JSON
MAX_TYPED_CHARS = 1000

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
    "then": {"properties": {"sampleRate": {"enum": list(OPUS_RATES)}}},
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


# What is wrong with a refused frame (`FrameError.problem`) -> the close code it earns.
_CLOSE_FOR = {
    "malformed": CLOSE_BAD_FRAME,
    "too_large": CLOSE_TOO_LARGE,
    "too_fast": CLOSE_TOO_MANY,
}


def close_code(error: FrameError) -> int:
    """The close code for a refused frame."""
    return _CLOSE_FOR[error.problem]


def parse_text_frame(raw: str) -> dict[str, Any]:
    """A validated control message, or FrameError (malformed or too large)."""
    return _validated(_decoded(raw))


def parse_room_frame(raw: str) -> dict[str, Any]:
    """A control message on a group room's socket (tutor.group.consumer): the conversation
    socket's, and a `start` may say `"listen": true` (declare the format and follow the room
    without starting the tutor: a page that has just opened)."""
    message = _decoded(raw)
    listen = message.pop("listen", False) if isinstance(message, dict) else False
    if not isinstance(listen, bool) or (listen and message.get("type") != "start"):
        raise FrameError("malformed", "listen is a start's, true or false")
    return _validated(message) | ({"listen": True} if listen else {})


def _decoded(raw: str) -> Any:
    if len(raw) > MAX_TEXT_FRAME:
        raise FrameError("too_large", "control message too large")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise FrameError("malformed", "control messages must be JSON") from None


def _validated(message: Any) -> dict[str, Any]:
    kind = message.get("type") if isinstance(message, dict) else None
    validator = _VALIDATORS.get(kind) if isinstance(kind, str) else None
    if validator is None:
        raise FrameError("malformed", "unknown message type")
    error = next(iter(validator.iter_errors(message)), None)
    if error is not None:
        raise FrameError("malformed", f"invalid {kind} message: {error.message[:120]}")
    # JSON Schema's "integer" admits 48000.0 and its enum admits 1.0 for 1: be exact.
    if kind == "start" and not all(_is_int(message.get(k, 1)) for k in ("sampleRate", "channels")):
        raise FrameError("malformed", "invalid start message: numbers must be integers")
    if kind == "text" and not message["text"].strip():
        raise FrameError("malformed", "empty text message")
    if kind == "text" and not storable_text(message["text"]):
        raise FrameError("malformed", "text may not hold NUL characters or lone surrogates")
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
