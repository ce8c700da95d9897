"""Speaking time, words, token usage and time-to-first-audio of one conversation."""

from __future__ import annotations

import time

from lessons.services.conversations import FinishStats
from tutor import metrics


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[rank]


class SpeechStats:
    def __init__(self) -> None:
        self.learner_seconds = 0.0
        self.tutor_seconds = 0.0
        self.learner_words = 0
        self.reconnects = 0
        self.reconnects_before = 0  # Live reconnects in processes that held it before
        self.prompt_tokens = self.response_tokens = self.total_tokens = 0
        self.latencies_ms: list[float] = []
        self._speech_ended_at: float | None = None
        self._voiced_at: float | None = None

    def learner_audio(self, seconds: float, at: float | None = None) -> None:
        """Voiced learner audio only (the runtime skips frames below -45 dBFS), arrived at
        `at` (monotonic seconds, default now)."""
        self.learner_seconds += seconds
        self._voiced_at = time.monotonic() if at is None else at

    def tutor_audio(self, seconds: float) -> None:
        self.tutor_seconds += seconds

    def audio_sent(self, at: float | None = None) -> None:
        """Tutor audio was handed to the browser socket at `at` (default now)."""
        if self._speech_ended_at is not None:
            now = time.monotonic() if at is None else at
            self.latencies_ms.append(max(0.0, now - self._speech_ended_at) * 1000)
            metrics.FIRST_AUDIO.observe(self.latencies_ms[-1] / 1000)
            self._speech_ended_at = None

    def speech_ended(self, at: float) -> None:
        """The learner's turn ended (`SpeechEnded`): time to first audio starts counting.

        Two signals bound the true end of speech from above: the last voiced frame the
        server received (late if background noise stays above -45 dBFS) and the last input
        transcription fragment (`at`, late because transcription lags speech). The earlier
        of the two is the better estimate; the transcription alone if nothing was voiced."""
        ended = at or time.monotonic()
        if self._voiced_at is not None:
            ended = min(ended, self._voiced_at)
        self._speech_ended_at, self._voiced_at = ended, None

    def learner_turn(self, text: str) -> None:
        self.learner_words += len(text.split())

    def usage(self, prompt: int, response: int, total: int) -> None:
        self.prompt_tokens += prompt
        self.response_tokens += response
        self.total_tokens += total

    def carry(self, stored: FinishStats) -> None:
        """Start from the figures a process that handed the conversation over stored."""
        self.learner_seconds, self.tutor_seconds = stored.learner_seconds, stored.tutor_seconds
        self.prompt_tokens, self.response_tokens = stored.prompt_tokens, stored.response_tokens
        self.total_tokens = stored.total_tokens
        self.reconnects_before = stored.reconnects

    def finish_stats(self, *, reconnects: int, degraded: bool) -> FinishStats:
        lat = self.latencies_ms
        return FinishStats(
            learner_seconds=round(self.learner_seconds, 2),
            tutor_seconds=round(self.tutor_seconds, 2),
            reconnects=self.reconnects_before + max(reconnects, self.reconnects),
            prompt_tokens=self.prompt_tokens,
            response_tokens=self.response_tokens,
            total_tokens=self.total_tokens,
            latency_p50_ms=round(percentile(lat, 50)) if lat else None,
            latency_p95_ms=round(percentile(lat, 95)) if lat else None,
            degraded=degraded,
        )
