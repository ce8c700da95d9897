"""Audio on the conversation socket, PCM or Opus: one codec state per direction per socket.

Inbound: binary frames from the page -> 16 kHz mono PCM16 for the tutor. Outbound: 24 kHz mono
PCM16 tutor audio -> binary frames for the page. The codec is chosen by the `start` message
(`tutor.audio.frames.Start`); Opus frames are bundles of length-prefixed raw packets
(`tutor.audio.opus_framing`).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Protocol

from tutor.audio.frames import FrameError, Start, check_audio_frame
from tutor.audio.opus import OpusDecoder, OpusEncoder
from tutor.audio.opus_framing import opus_bundle, opus_packet_ms, split_opus_bundle
from tutor.audio.rate_limit import InboundBudget
from tutor.audio.resample import InputResampler
from tutor.audio.silence import SilenceFill, feed_silence, is_dtx, silence

TUTOR_RATE = 24_000  # Hz, what Gemini Live speaks
# The tutor's voice: wideband speech (Opus's own advice: 16-20 kbit/s), in 40 ms packets,
# which cost 13 % fewer bytes than 20 ms ones at the same bitrate (less per-packet overhead);
# Gemini's chunks are 200 ms, so no audio waits for a longer packet to fill.
OPUS_BITRATE = 16_000  # bit/s
OPUS_FRAME_MS = 40
# libopus complexity for tutor audio: 5 costs ~0.7x the CPU of 10 for about the same size.
OPUS_COMPLEXITY = 5
FRAME_BYTES = TUTOR_RATE * OPUS_FRAME_MS // 1000 * 2  # one packet's PCM16
S16_48K_BYTES_PER_MS = 96  # the PCM stream MAX_INBOUND_BYTES_PER_SECOND is sized for


Deliver = Callable[[bytes], Awaitable[None]]  # 16 kHz PCM16 for the tutor


class Inbound(Protocol):
    start: Start

    def to_16k(self, data: bytes) -> bytes: ...

    def pause(self) -> None: ...

    def close(self) -> None: ...


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

    def pause(self) -> None:
        pass

    def close(self) -> None:
        pass


class OpusIn:
    """Opus bundles -> 16 kHz mono PCM16. Opus bytes say little about how much audio they
    carry, so decoded audio time is rate-limited as PCM bytes are: `ms_per_second` of audio
    per second, with bursts of twice that.

    DTX packets (the page's encoder is quiet, tutor.audio.silence) become silence; after a
    bundle that ends with one, `deliver` gets silence at the clock's pace until the next
    real packet, so Gemini hears the learner's quiet as a microphone that sent it would."""

    def __init__(self, start: Start, *, ms_per_second: int, deliver: Deliver | None) -> None:
        self.start = start
        self._decoder = OpusDecoder(rate=16_000)
        self._audio_ms = InboundBudget(ms_per_second, time.monotonic)
        self._silence = SilenceFill()
        self._deliver = deliver
        self._feeder: asyncio.Task[None] | None = None

    def to_16k(self, data: bytes) -> bytes:
        packets = split_opus_bundle(self.start, data)
        durations = [opus_packet_ms(p) for p in packets]
        ms = math.ceil(math.fsum(durations))
        if not self._audio_ms.allow(ms):
            raise FrameError("too_fast", "sending too fast")
        pcm, quiet = [], False
        for packet, duration in zip(packets, durations, strict=True):
            if is_dtx(packet):
                if not quiet:  # what the resampler holds of the audio before the quiet
                    pcm.append(self._decoder.flush())
                pcm.append(silence(duration))
            else:
                pcm.append(self._decoder.decode(packet))
            quiet = is_dtx(packet)
        self._silence.heard(ms)
        if quiet:
            self._went_quiet()
        return b"".join(pcm)

    def _went_quiet(self) -> None:
        self._silence.quiet()
        if self._deliver is not None and (self._feeder is None or self._feeder.done()):
            self._feeder = asyncio.ensure_future(feed_silence(self._silence, self._deliver))

    def pause(self) -> None:
        """The page paused its microphone: no silence is owed while it is muted."""
        self._silence.pause()

    def close(self) -> None:
        self._silence.pause()
        if self._feeder is not None:
            self._feeder.cancel()


def inbound(start: Start, *, max_bytes_per_second: int, deliver: Deliver | None = None) -> Inbound:
    """The socket's inbound codec state; `deliver` takes the silence fed while an Opus
    page's encoder is quiet (tutor.audio.silence)."""
    if start.codec == "opus":
        ms_per_second = max_bytes_per_second // S16_48K_BYTES_PER_MS
        return OpusIn(start, ms_per_second=ms_per_second, deliver=deliver)
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

    def frames(self, pcm: bytes) -> Iterator[bytes]:
        yield pcm

    def end_turn(self) -> list[bytes]:
        return []

    def interrupt(self) -> None:
        pass


class OpusOut:
    """Tutor audio as Opus: each chunk becomes one bundle of the packets it completes, except
    that the first packet of a turn goes out alone, before the rest of its chunk is encoded
    (the caller sends each bundle as it comes, tutor/conversation/consumer.py)."""

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
        self._speaking = False  # a packet of this turn went out

    def frames(self, pcm: bytes) -> Iterator[bytes]:
        if not self._speaking:
            first = -self._fed % FRAME_BYTES or FRAME_BYTES  # what completes the next packet
            head, pcm = pcm[:first], pcm[first:]
            self._fed += len(head)
            packets = self._encoder.encode(head)
            if packets:
                self._speaking = True
                yield opus_bundle(packets)
        self._fed += len(pcm)
        packets = self._encoder.encode(pcm)
        if packets:
            yield opus_bundle(packets)

    def end_turn(self) -> list[bytes]:
        """Pad the turn's last partial frame with silence, then add one silent frame so the
        encoder's look-ahead (6.5 ms) plays now rather than at the start of the next turn."""
        pad = -self._fed % FRAME_BYTES + FRAME_BYTES
        frames = list(self.frames(bytes(pad)))
        self._speaking = False
        return frames

    def interrupt(self) -> None:
        """A barge-in: whatever the encoder holds is stale, so start a fresh stream."""
        self._new_encoder()


def outbound(start: Start) -> PcmOut | OpusOut:
    return OpusOut() if start.output_codec == "opus" else PcmOut()
