"""The learner's audio since their last finished turn, kept for lessons.services.audio when
STORE_LEARNER_AUDIO is on. No Django, no I/O."""

from __future__ import annotations

from collections import deque

from tutor.audio.resample import is_silence

BYTES_PER_SECOND = 32_000  # 16 kHz PCM16 mono
MAX_SECONDS = 120  # one turn longer than this keeps only its last two minutes


class LearnerVoice:
    def __init__(self, max_seconds: int = MAX_SECONDS) -> None:
        self.max_bytes = max_seconds * BYTES_PER_SECOND
        self._chunks: deque[bytes] = deque()
        self._size = 0

    def add(self, pcm16_16k: bytes) -> None:
        """16 kHz mono PCM16. The microphone streams while the tutor speaks, so silence
        before the learner's first sound is skipped; the turn then runs to its transcript."""
        if not self._chunks and is_silence(pcm16_16k, threshold_dbfs=-45.0):
            return
        self._chunks.append(pcm16_16k)
        self._size += len(pcm16_16k)
        while self._size > self.max_bytes:
            self._size -= len(self._chunks.popleft())

    def take(self) -> bytes:
        """Everything since the last take, and start afresh."""
        pcm = b"".join(self._chunks)
        self._chunks.clear()
        self._size = 0
        return pcm
