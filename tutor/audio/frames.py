"""Audio frames from the page, before any socket or close code: the format a `start` declares,
the ceiling on one frame, the rates Opus runs at, and `FrameError`.

`FrameError` says what is wrong with a frame (`problem`); the conversation protocol
(`tutor.conversation.protocol.close_code`) decides which close code that earns. This module
imports nothing, so the protocol can validate a `start` without loading PyAV.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MAX_AUDIO_MS = 120  # the page sends 20–40 ms; 100 ms is the documented ceiling, plus slack
OPUS_RATES = (8_000, 12_000, 16_000, 24_000, 48_000)  # Hz, the rates Opus encodes at

Codec = Literal["pcm", "opus"]
# "malformed": not what was declared; "too_large": over MAX_AUDIO_MS (or the byte ceiling);
# "too_fast": over the inbound budget.
Problem = Literal["malformed", "too_large", "too_fast"]


class FrameError(Exception):
    """A frame the socket must refuse, and why (`problem`)."""

    def __init__(self, problem: Problem, message: str) -> None:
        super().__init__(message)
        self.problem: Problem = problem


@dataclass(frozen=True)
class Start:
    """The audio format a `start` message declares; fixed for the socket's life."""

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


def check_audio_frame(start: Start | None, data: bytes) -> None:
    """A PCM audio frame fits the declared format, or FrameError."""
    if start is None:
        raise FrameError("malformed", "audio before start")
    if len(data) > start.max_frame_bytes:
        raise FrameError("too_large", f"audio frames may hold at most {MAX_AUDIO_MS} ms")
    if not data or len(data) % start.bytes_per_frame:
        raise FrameError("malformed", "audio frame length does not match its format")
