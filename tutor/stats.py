"""Speaking time, words, token usage and time-to-first-audio of one conversation."""

from __future__ import annotations

import time

from lessons.services.conversations import FinishStats


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
        self.prompt_tokens = self.response_tokens = self.total_tokens = 0
        self.latencies_ms: list[float] = []
        self._speech_ended_at: float | None = None

    def learner_audio(self, seconds: float) -> None:
        # Voiced learner audio only (the runtime skips frames below -45 dBFS).
        self.learner_seconds += seconds

    def tutor_audio(self, seconds: float) -> None:
        self.tutor_seconds += seconds
        if self._speech_ended_at is not None:
            # Time to first tutor audio: learner speech end (as the bridge saw it) → first
            # tutor audio byte handed to the browser socket.
            self.latencies_ms.append((time.monotonic() - self._speech_ended_at) * 1000)
            self._speech_ended_at = None

    def speech_ended(self, at: float) -> None:
        self._speech_ended_at = at or time.monotonic()

    def learner_turn(self, text: str) -> None:
        self.learner_words += len(text.split())

    def usage(self, prompt: int, response: int, total: int) -> None:
        self.prompt_tokens += prompt
        self.response_tokens += response
        self.total_tokens += total

    def finish_stats(self, *, reconnects: int, degraded: bool) -> FinishStats:
        lat = self.latencies_ms
        return FinishStats(
            learner_seconds=round(self.learner_seconds, 2),
            tutor_seconds=round(self.tutor_seconds, 2),
            reconnects=max(reconnects, self.reconnects),
            prompt_tokens=self.prompt_tokens,
            response_tokens=self.response_tokens,
            total_tokens=self.total_tokens,
            latency_p50_ms=round(percentile(lat, 50)) if lat else None,
            latency_p95_ms=round(percentile(lat, 95)) if lat else None,
            degraded=degraded,
        )
