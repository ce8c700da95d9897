"""The page's Opus encoder for the benchmarks: libopus configured as Chromium's WebCodecs
`AudioEncoder` configures it for static/js/conversation/opus.js, discontinuous transmission
included.

FFmpeg's libopus wrapper (PyAV, tutor/audio/opus.py) has no DTX option, so this calls libopus
itself through ctypes: the copy PyAV's wheel ships (libopus 1.6 here), else the system's.
Chromium passes on no packet of two bytes or less (what libopus emits for a frame it skips
in DTX), so `encode` returns None for those frames. Measured on this machine against Debian's
Chromium with the same 48 kHz speech and noise floor: the same packets kept, and the same
bytes within 0.3 %, at complexity 5, 9 and 10.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from pathlib import Path

import av
import numpy as np

APPLICATION_VOIP = 2048
SIGNAL_VOICE = 3001
SET_BITRATE, SET_VBR, SET_COMPLEXITY = 4002, 4006, 4010
SET_INBAND_FEC, SET_PACKET_LOSS_PERC, SET_DTX, SET_SIGNAL = 4012, 4014, 4016, 4024
MAX_PACKET = 4000


def _libopus() -> ctypes.CDLL:
    shipped = sorted((Path(av.__file__).parent.parent / "av.libs").glob("libopus*.so*"))
    name = str(shipped[0]) if shipped else ctypes.util.find_library("opus")
    if name is None:
        raise RuntimeError("no libopus found (neither PyAV's copy nor the system's)")
    lib = ctypes.CDLL(name)
    lib.opus_encoder_create.restype = ctypes.c_void_p
    lib.opus_encoder_create.argtypes = [
        ctypes.c_int32,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_int),
    ]
    lib.opus_encode.restype = ctypes.c_int32
    lib.opus_encode.argtypes = [
        ctypes.c_void_p,
        ctypes.c_void_p,
        ctypes.c_int,
        ctypes.c_void_p,
        ctypes.c_int32,
    ]
    lib.opus_encoder_destroy.argtypes = [ctypes.c_void_p]
    return lib


class WebCodecsOpus:
    """Mono PCM16 frames -> raw Opus packets, or None where the encoder sent nothing (DTX).
    `complexity`: Chromium's default gave the same packets as 9 (and 10) here."""

    def __init__(
        self,
        *,
        rate: int = 48_000,
        bitrate: int,
        frame_ms: int = 20,
        dtx: bool = True,
        complexity: int = 9,
        fec_loss_percent: int = 0,
    ) -> None:
        self._lib = _libopus()
        self.frame_samples = rate * frame_ms // 1000
        error = ctypes.c_int()
        self._enc = self._lib.opus_encoder_create(rate, 1, APPLICATION_VOIP, ctypes.byref(error))
        if error.value != 0 or not self._enc:
            raise RuntimeError(f"opus_encoder_create failed ({error.value})")
        settings = [
            (SET_BITRATE, bitrate),
            (SET_VBR, 1),
            (SET_COMPLEXITY, complexity),
            (SET_SIGNAL, SIGNAL_VOICE),
            (SET_DTX, int(dtx)),
            (SET_INBAND_FEC, int(fec_loss_percent > 0)),
            (SET_PACKET_LOSS_PERC, fec_loss_percent),
        ]
        for request, value in settings:  # opus_encoder_ctl is variadic: ints go as c_int
            if self._lib.opus_encoder_ctl(ctypes.c_void_p(self._enc), request, ctypes.c_int(value)):
                raise RuntimeError(f"opus_encoder_ctl({request}, {value}) failed")
        self._out = ctypes.create_string_buffer(MAX_PACKET)

    def encode(self, pcm16: bytes) -> bytes | None:
        """One frame of PCM16 -> its packet, or None for a frame skipped in DTX."""
        samples = np.frombuffer(pcm16, np.int16)
        if len(samples) != self.frame_samples:
            raise ValueError(f"a frame is {self.frame_samples} samples, got {len(samples)}")
        size = self._lib.opus_encode(
            self._enc, samples.ctypes.data, self.frame_samples, self._out, MAX_PACKET
        )
        if size < 0:
            raise RuntimeError(f"opus_encode failed ({size})")
        return self._out.raw[:size] if size > 2 else None

    def close(self) -> None:
        if self._enc:
            self._lib.opus_encoder_destroy(self._enc)
            self._enc = None

    def __del__(self) -> None:
        self.close()
