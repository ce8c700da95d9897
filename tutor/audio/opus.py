"""Opus through PyAV (libopus): raw packets (no Ogg, no OpusHead) as WebCodecs takes and
emits them, one encoder or decoder per direction per conversation. Framing packets into
wire bundles is `tutor.audio.opus_framing`."""

from __future__ import annotations

from fractions import Fraction

import av
import av.error
import numpy as np

from tutor.audio.frames import OPUS_RATES
from tutor.audio.resample import AudioFormatError, InputResampler, check_length, check_rate

OPUS_FRAME_MS = (10, 20, 40, 60)


class OpusEncoder:
    """Mono PCM16 at `rate` Hz -> raw Opus packets (no Ogg, no OpusHead), one per `frame_ms`,
    as WebCodecs `AudioDecoder({codec: "opus", sampleRate, numberOfChannels: 1})` takes them.
    `complexity` is libopus's 0-10 (10, the default, is the slowest)."""

    def __init__(
        self,
        *,
        rate: int = 24_000,
        bitrate: int = 24_000,
        frame_ms: int = 20,
        complexity: int = 10,
    ) -> None:
        if rate not in OPUS_RATES:
            raise AudioFormatError(f"Opus rate must be one of {OPUS_RATES} Hz, got {rate!r}")
        if frame_ms not in OPUS_FRAME_MS:
            raise AudioFormatError(
                f"Opus frame must be one of {OPUS_FRAME_MS} ms, got {frame_ms!r}"
            )
        if not 6_000 <= bitrate <= 510_000:
            raise AudioFormatError(f"Opus bitrate must be 6000-510000 bit/s, got {bitrate!r}")
        if not 0 <= complexity <= 10:
            raise AudioFormatError(f"Opus complexity must be 0-10, got {complexity!r}")
        self.rate = rate
        self._frame_samples = rate * frame_ms // 1000
        self._pending = bytearray()
        self._pts = 0
        self._ctx = av.CodecContext.create("libopus", "w")
        self._ctx.sample_rate, self._ctx.layout, self._ctx.format = rate, "mono", "s16"
        self._ctx.bit_rate, self._ctx.time_base = bitrate, Fraction(1, rate)
        # complexity (libopus 0-10, FFmpeg's compression_level) trades CPU for quality: for
        # speech at 24 kbit/s, 5 costs ~0.7x the time of 10 at about the same size.
        self._ctx.options = {
            "frame_duration": str(frame_ms),
            "application": "voip",
            "compression_level": str(complexity),
        }
        self._ctx.open()

    def encode(self, pcm16: bytes) -> list[bytes]:
        """Mono PCM16 bytes at `rate` Hz -> the Opus packets completed so far; a partial
        frame waits for the next call (or `flush`)."""
        check_length(pcm16, "s16", 1)
        self._pending += pcm16
        frame_bytes = 2 * self._frame_samples
        whole = len(self._pending) - len(self._pending) % frame_bytes
        packets = [
            p
            for start in range(0, whole, frame_bytes)
            for p in self._encode(self._pending[start : start + frame_bytes])
        ]
        del self._pending[:whole]
        return packets

    def flush(self) -> list[bytes]:
        """Pad the partial frame with silence and drain the encoder's look-ahead; the
        encoder is finished afterwards."""
        packets = []
        if self._pending:
            self._pending += bytes(2 * self._frame_samples - len(self._pending))
            packets = self._encode(self._pending)
            self._pending.clear()
        return packets + [bytes(p) for p in self._ctx.encode(None)]

    def _encode(self, frame_bytes: bytes | bytearray) -> list[bytes]:
        samples = np.frombuffer(frame_bytes, np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate, frame.pts = self.rate, self._pts
        self._pts += self._frame_samples
        return [bytes(p) for p in self._ctx.encode(frame)]


class OpusDecoder:
    """Raw Opus packets (as WebCodecs `AudioEncoder` emits them) -> mono PCM16 at `rate` Hz.
    Stereo packets are downmixed by libopus."""

    def __init__(self, *, rate: int = 48_000) -> None:
        self.rate = check_rate(rate, "Opus output rate")
        self._ctx = av.CodecContext.create("libopus", "r")
        self._ctx.layout = "mono"
        # FFmpeg's libopus decoder always outputs 48 kHz (as WebCodecs does), so other rates
        # go through soxr, which delays them by its filter: `flush` returns the tail.
        self._resampler = None
        if rate != 48_000:
            self._resampler = InputResampler(in_rate=48_000, fmt="s16", out_rate=rate)

    def decode(self, packet: bytes) -> bytes:
        """One raw Opus packet -> mono PCM16 bytes at `rate` Hz (one packet's duration at
        48 kHz; at other rates a little less at first, the resampler's delay)."""
        if not packet:  # an empty packet would tell FFmpeg "end of stream" and end the decoder
            raise AudioFormatError("empty Opus packet")
        try:
            frames = self._ctx.decode(av.Packet(packet))
        except av.error.InvalidDataError as e:
            raise AudioFormatError(f"invalid Opus packet ({len(packet)} bytes)") from e
        # libopusdec gives s16 unless asked for flt; packed mono, so the bytes are the PCM.
        pcm = b"".join(f.to_ndarray().tobytes() for f in frames)
        return self._resampler.process(pcm) if self._resampler else pcm

    def flush(self) -> bytes:
        """The PCM16 still held by the resampler (nothing at 48 kHz): at the end, or before
        a gap in the stream (DTX); the resampler then starts afresh and decoding may go on."""
        return self._resampler.flush() if self._resampler else b""
