"""Turn detection for the emulator: an energy VAD over 16 kHz PCM16 mono input.

Decisions count audio time (samples received), not wall-clock time, so a test that pushes
audio faster than real time gets the same turns as a live microphone.
"""

from __future__ import annotations

import numpy as np
import soxr

RATE = 16000
FRAME = RATE // 50  # 20 ms
ONSET_MS = 60  # speech must stay above threshold this long to count as started
THRESHOLDS = {  # RMS of int16 samples; about -36 dBFS by default
    "START_SENSITIVITY_HIGH": 300.0,
    "START_SENSITIVITY_LOW": 900.0,
}
DEFAULT_THRESHOLD = 500.0


class EnergyVad:
    """Feed 16 kHz int16 mono PCM; get "start" / "end" events back."""

    def __init__(self, silence_ms: int, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self.onset_frames = ONSET_MS // 20
        self.end_frames = max(1, silence_ms // 20)
        self.speaking = False
        self.loud_ms = 0  # loud audio in the utterance under way (or the one just ended)
        self._run = 0  # consecutive loud frames (idle) or quiet frames (speaking)
        self._rest = np.zeros(0, dtype=np.int16)

    def feed(self, pcm: bytes) -> list[str]:
        samples = np.concatenate([self._rest, np.frombuffer(pcm, dtype=np.int16)])
        whole = len(samples) // FRAME * FRAME
        self._rest = samples[whole:]
        events: list[str] = []
        for frame in samples[:whole].reshape(-1, FRAME):
            if event := self._step(_rms(frame) >= self.threshold):
                events.append(event)
        return events

    def flush(self) -> bool:
        """The client said audioStreamEnd: end the current utterance now. True if one ended."""
        was_speaking, self.speaking, self._run = self.speaking, False, 0
        return was_speaking

    def _step(self, loud: bool) -> str | None:
        if not self.speaking:
            self._run = self._run + 1 if loud else 0
            if self._run >= self.onset_frames:
                self.speaking, self._run, self.loud_ms = True, 0, self._run * 20
                return "start"
            return None
        self.loud_ms += 20 if loud else 0
        self._run = 0 if loud else self._run + 1
        if self._run >= self.end_frames:
            self.speaking, self._run = False, 0
            return "end"
        return None


class To16k:
    """Resample int16 mono PCM from any rate to 16 kHz, keeping filter state across chunks."""

    def __init__(self) -> None:
        self.rate: int | None = None
        self._stream: soxr.ResampleStream | None = None
        self._odd = b""

    def __call__(self, pcm: bytes, rate: int) -> bytes:
        pcm, self._odd = self._odd + pcm, b""
        if len(pcm) % 2:  # a chunk may split a sample; keep the odd byte for next time
            pcm, self._odd = pcm[:-1], pcm[-1:]
        if rate == RATE:
            return pcm
        stream = self._stream
        if stream is None or rate != self.rate:  # a rate change restarts the filter
            self.rate = rate
            stream = self._stream = soxr.ResampleStream(rate, RATE, 1, dtype="int16")
        samples = np.frombuffer(pcm, dtype=np.int16)
        return bytes(stream.resample_chunk(samples).tobytes())


def _rms(frame: np.ndarray) -> float:
    return float(np.sqrt(np.mean(frame.astype(np.float32) ** 2)))
