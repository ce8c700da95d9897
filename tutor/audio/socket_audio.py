"""Audio on the conversation socket, PCM or Opus: one codec state per direction per socket.

Inbound: binary frames from the page -> 16 kHz mono PCM16 for the tutor. Outbound: 24 kHz mono
PCM16 tutor audio -> binary frames for the page. The codec is chosen by the `start` message
(`tutor.audio.frames.Start`); Opus frames are bundles of length-prefixed raw packets
(`tutor.audio.opus_framing`).
"""

from __future__ import annotations

import math
import time
from typing import Protocol

from tutor.audio.frames import FrameError, Start, check_audio_frame
from tutor.audio.opus import OpusDecoder, OpusEncoder
from tutor.audio.opus_framing import opus_bundle, opus_packet_ms, split_opus_bundle
from tutor.audio.rate_limit import InboundBudget
from tutor.audio.resample import InputResampler

TUTOR_RATE = 24_000  # Hz, what Gemini Live speaks
OPUS_BITRATE = 24_000  # bit/s, speech at 24 kHz
OPUS_FRAME_MS = 20
# libopus complexity for tutor audio: 5 costs ~0.7x the CPU of 10 for about the same size.
OPUS_COMPLEXITY = 5
S16_48K_BYTES_PER_MS = 96  # the PCM stream MAX_INBOUND_BYTES_PER_SECOND is sized for


class Inbound(Protocol):
    start: Start

    def to_16k(self, data: bytes) -> bytes: ...


class PcmIn:
    """PCM frames in the declared format and rate -> 16 kHz mono PCM16."""

    def __init__(self, start: Start) -> None:
        self.start = start
        self._resampler = InputResampler(
            in_rate=start.sample_rate, fmt=start.format, channels=start.channels
        )

    def to_16k(self, data: bytes) -> bytes:
        check_audio_frame(self.start, data)
        return self._resampler.process(data)


class OpusIn:
    """Opus bundles -> 16 kHz mono PCM16. Opus bytes say little about how much audio they
    carry, so decoded audio time is rate-limited as PCM bytes are: `ms_per_second` of audio
    per second, with bursts of twice that."""

    def __init__(self, start: Start, *, ms_per_second: int) -> None:
        self.start = start
        self._decoder = OpusDecoder(rate=16_000)
        self._audio_ms = InboundBudget(ms_per_second, time.monotonic)

    def to_16k(self, data: bytes) -> bytes:
        packets = split_opus_bundle(self.start, data)
        ms = math.ceil(math.fsum(opus_packet_ms(p) for p in packets))
        if not self._audio_ms.allow(ms):
            raise FrameError("too_fast", "sending too fast")
        return b"".join([self._decoder.decode(p) for p in packets])


def inbound(start: Start, *, max_bytes_per_second: int) -> Inbound:
    if start.codec == "opus":
        return OpusIn(start, ms_per_second=max_bytes_per_second // S16_48K_BYTES_PER_MS)
    return PcmIn(start)


def same_format(current: Start, new: Start) -> None:
    """A repeated `start` must declare what the first one did: a socket's format is fixed."""
    if new != current:
        raise FrameError(
            "malformed", "the audio format cannot change mid-stream; start a new conversation"
        )


class PcmOut:
    """Tutor audio as it comes: 24 kHz mono PCM16, one binary frame per chunk."""

    codec = "pcm"

    def frames(self, pcm: bytes) -> list[bytes]:
        return [pcm]

    def end_turn(self) -> list[bytes]:
        return []

    def interrupt(self) -> None:
        pass


class OpusOut:
    """Tutor audio as Opus: each chunk becomes one bundle of the 20 ms packets it completes."""

    codec = "opus"

    def __init__(self) -> None:
        self._new_encoder()

    def _new_encoder(self) -> None:
        self._encoder = OpusEncoder(
            rate=TUTOR_RATE,
            bitrate=OPUS_BITRATE,
            frame_ms=OPUS_FRAME_MS,
            complexity=OPUS_COMPLEXITY,
        )
        self._fed = 0  # bytes given to the encoder, to know the partial frame's size

    def frames(self, pcm: bytes) -> list[bytes]:
        self._fed += len(pcm)
        packets = self._encoder.encode(pcm)
        return [opus_bundle(packets)] if packets else []

    def end_turn(self) -> list[bytes]:
        """Pad the turn's last partial frame with silence, then add one silent frame so the
        encoder's look-ahead (6.5 ms) plays now rather than at the start of the next turn."""
        frame_bytes = TUTOR_RATE * OPUS_FRAME_MS // 1000 * 2
        pad = -self._fed % frame_bytes + frame_bytes
        return self.frames(bytes(pad))

    def interrupt(self) -> None:
        """A barge-in: whatever the encoder holds is stale, so start a fresh stream."""
        self._new_encoder()


def outbound(start: Start) -> PcmOut | OpusOut:
    return OpusOut() if start.output_codec == "opus" else PcmOut()
