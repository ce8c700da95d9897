"""The learner's silence while the page's Opus encoder sends nothing (discontinuous
transmission, DTX). Gemini's voice activity detection counts audio, not time: if the server
fed it nothing while the learner is quiet, their turn would never end. So from the page's
word that its encoder went quiet until the next real packet, the server feeds silence at
the pace of the clock.

The page's word is a DTX packet: an Opus packet of at most two bytes, a frame without audio
data (RFC 6716 §3.2.1; WebRTC's test for DTX). The page sends one for each 20 ms frame its
encoder skipped before it noticed (tutor/audio/socket_audio.py turns each into 20 ms of
silence), then nothing until the learner is heard again. No Django, no I/O of its own: the
caller hands the silence upstream.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

BYTES_PER_MS = 32  # 16 kHz mono PCM16
TICK_S = 0.04  # as often as the page sends a bundle while the learner talks
MAX_AHEAD_MS = 60  # how far received audio may run ahead of the clock and still count
MAX_SILENT_S = 30.0  # a page quiet this long without a packet is gone, not thinking


def is_dtx(packet: bytes) -> bool:
    """A DTX packet: no audio data for its frame (WebRTC's test: at most two bytes)."""
    return len(packet) <= 2


def silence(ms: float) -> bytes:
    """`ms` milliseconds of 16 kHz PCM16 silence."""
    return bytes(round(ms) * BYTES_PER_MS)


class SilenceFill:
    """How much silence is owed, kept as a cursor on the clock: the moment that the end of
    the audio handed upstream so far stands for."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.silent = False
        self._cursor = 0.0
        self._quiet_since = 0.0

    def heard(self, ms: float) -> None:
        """`ms` of audio (decoded, or silence for DTX packets) arrived now. It ends now, or
        later when silence fed before it already stood for part of its time; later by at
        most MAX_AHEAD_MS, so that a burst after a network stall cannot delay the silence
        that follows."""
        now = self.clock()
        cursor = max(now, self._cursor + ms / 1000)
        self._cursor = min(cursor, now + MAX_AHEAD_MS / 1000)
        self.silent = False

    def quiet(self) -> None:
        """The page's encoder went quiet: silence is owed from the cursor on."""
        if not self.silent:
            self.silent, self._quiet_since = True, self.clock()

    def pause(self) -> None:
        """The learner muted the microphone (the page said `pause`): nothing is owed."""
        self.silent = False

    def due(self) -> bytes:
        """The silence owed since the cursor (16 kHz PCM16): empty unless quiet."""
        if not self.silent:
            return b""
        now = self.clock()
        if now - self._quiet_since > MAX_SILENT_S:
            self.silent = False
            return b""
        ms = int((now - self._cursor) * 1000 + 1e-6)  # whole ms; the rest stays owed
        if ms <= 0:
            return b""
        self._cursor += ms / 1000
        return silence(ms)


async def feed_silence(
    fill: SilenceFill, deliver: Callable[[bytes], Awaitable[None]], *, tick: float = TICK_S
) -> None:
    """Hand what `fill` owes to `deliver` every `tick` seconds, for as long as it is quiet."""
    try:
        while fill.silent:
            await asyncio.sleep(tick)
            pcm = fill.due()
            if pcm:
                await deliver(pcm)
    except Exception:  # the conversation went away mid-send: nothing more is owed
        logger.exception("feeding the learner's silence failed")
        fill.pause()
