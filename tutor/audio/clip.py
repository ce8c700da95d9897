"""One recorded answer from the drill page: a WAV file checked, mixed to mono and resampled to
16 kHz PCM16 for Gemini. No Django; every `ClipError` message is safe to show the learner."""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

import numpy as np
import soxr

from tutor.audio.resample import MAX_RATE, MIN_RATE, rms_dbfs

RATE = 16_000
MAX_BYTES = 2_000_000  # 20 s of 48 kHz mono PCM16 and a header
MAX_SECONDS = 15.0
MIN_SECONDS = 0.3
# The loudest 20 ms of a spoken answer is far above this; a muted or missing microphone is not.
SILENCE_DBFS = -45.0


class ClipError(ValueError):
    """A recording that cannot be checked; `str(exc)` tells the learner what to do, in English.
    The page says it in the learner's language from `template` (marked for the catalog) and
    `params`: this package imports no Django."""

    def __init__(self, template: str, **params: object) -> None:
        super().__init__(template % params)
        self.template, self.params = template, params


def gettext_noop(message: str) -> str:
    """Marks a sentence for `makemessages`, which collects calls by this name."""
    return message


TOO_LONG = gettext_noop("That recording is too long. Keep your answer under %(seconds)s s.")


@dataclass(frozen=True)
class Clip:
    pcm: bytes  # 16 kHz mono PCM16, little-endian
    seconds: float

    def wav(self) -> bytes:
        return to_wav(self.pcm, RATE)


def read_clip(data: bytes) -> Clip:
    """Check a 16-bit PCM WAV recording (mono or stereo, 8-96 kHz) and bring it to 16 kHz."""
    if len(data) > MAX_BYTES:
        raise ClipError(TOO_LONG, seconds=f"{MAX_SECONDS:.0f}")
    samples, rate, channels = _decode(data)
    seconds = len(samples) / channels / rate
    if seconds < MIN_SECONDS:
        raise ClipError(gettext_noop("That was too short to hear anything. Speak, then stop."))
    if seconds > MAX_SECONDS:
        raise ClipError(TOO_LONG, seconds=f"{MAX_SECONDS:.0f}")
    mono = samples.reshape(-1, channels).mean(axis=1) if channels == 2 else samples
    pcm = soxr.resample(mono.astype(np.float32), rate, RATE) if rate != RATE else mono
    pcm16 = np.clip(np.round(pcm), -32768, 32767).astype(np.int16).tobytes()
    if _loudest_dbfs(pcm16) < SILENCE_DBFS:
        raise ClipError(
            gettext_noop(
                "Only silence was recorded. Check that your microphone is on, then try again."
            )
        )
    return Clip(pcm16, seconds)


def to_wav(pcm: bytes, rate: int) -> bytes:
    """A mono 16-bit WAV file of `pcm` (PCM16 little-endian) at `rate` Hz."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm)
    return out.getvalue()


def _decode(data: bytes) -> tuple[np.ndarray, int, int]:
    unreadable = gettext_noop("That recording is not a WAV file that can be read (16-bit PCM).")
    try:
        with wave.open(io.BytesIO(data)) as wav:
            width, channels, rate = wav.getsampwidth(), wav.getnchannels(), wav.getframerate()
            frames = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError, ValueError) as exc:
        raise ClipError(unreadable) from exc
    if width != 2 or channels not in (1, 2) or not MIN_RATE <= rate <= MAX_RATE:
        raise ClipError(unreadable)
    usable = len(frames) // (2 * channels) * 2 * channels
    return np.frombuffer(frames[:usable], dtype=np.int16), rate, channels


def _loudest_dbfs(pcm16: bytes) -> float:
    step = RATE // 50 * 2  # 20 ms of bytes
    frames = (pcm16[i : i + step] for i in range(0, len(pcm16), step))
    return max((rms_dbfs(frame) for frame in frames if len(frame) == step), default=-120.0)
