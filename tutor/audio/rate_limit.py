"""The inbound rate limit of the conversation socket: a token bucket. Over it, a frame is
refused as "too_fast" (`tutor.audio.frames.FrameError`), which closes the socket with 4429."""

from __future__ import annotations

from typing import Any


class InboundBudget:
    """A token bucket over what one socket sends: `rate` units per second, bursts up to 2 s
    worth. The caller picks the unit; the conversation socket keeps three: bytes of every
    frame and frames (`ConversationConsumer`), and milliseconds of decoded Opus audio
    (`tutor.audio.socket_audio.OpusIn`). `allow(n)` spends n units and says whether the
    budget still holds; `clock` is a monotonic clock in seconds."""

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
