"""tutor/conversation/stats.py: time to first tutor audio, speaking time, tokens."""

from __future__ import annotations

import pytest

from tutor.conversation.stats import SpeechStats, percentile


def test_time_to_first_audio_runs_from_the_last_voiced_frame_to_the_first_audio_sent() -> None:
    stats = SpeechStats()
    stats.learner_audio(0.02, at=10.0)
    stats.learner_audio(0.02, at=11.0)  # the learner's last words reach the server
    stats.speech_ended(11.6)  # Gemini's transcription of them arrives later
    stats.audio_sent(at=12.5)
    assert stats.latencies_ms == [pytest.approx(1500)]


def test_the_transcription_time_counts_when_nothing_was_voiced() -> None:
    stats = SpeechStats()  # e.g. a quiet microphone below the -45 dBFS gate
    stats.speech_ended(20.0)
    stats.audio_sent(at=20.8)
    assert stats.latencies_ms == [pytest.approx(800)]


def test_noise_after_the_words_does_not_shorten_the_measure() -> None:
    stats = SpeechStats()
    stats.learner_audio(0.02, at=30.0)
    stats.learner_audio(0.02, at=31.4)  # room noise above the gate while Gemini decides
    stats.speech_ended(31.0)
    stats.audio_sent(at=32.0)
    assert stats.latencies_ms == [pytest.approx(1000)]


def test_only_the_first_audio_of_an_answer_counts_once() -> None:
    stats = SpeechStats()
    stats.speech_ended(1.0)
    stats.audio_sent(at=1.5)
    stats.audio_sent(at=1.7)
    stats.audio_sent(at=1.9)
    assert stats.latencies_ms == [pytest.approx(500)]


def test_audio_with_no_learner_turn_before_it_is_not_a_sample() -> None:
    stats = SpeechStats()
    stats.learner_audio(0.5, at=1.0)  # spoke during the greeting, no turn ended
    stats.audio_sent(at=2.0)  # the greeting
    assert stats.latencies_ms == []


def test_a_voiced_frame_from_an_earlier_turn_is_not_reused() -> None:
    stats = SpeechStats()
    stats.learner_audio(0.02, at=1.0)
    stats.speech_ended(1.5)
    stats.audio_sent(at=2.0)
    stats.speech_ended(9.0)  # a later turn with nothing voiced (typed, or very quiet)
    stats.audio_sent(at=9.4)
    assert stats.latencies_ms == [pytest.approx(1000), pytest.approx(400)]


def test_finish_stats_carry_percentiles_tokens_and_reconnects() -> None:
    stats = SpeechStats()
    for start, sent in [(0.0, 0.6), (1.0, 1.7), (2.0, 2.8), (3.0, 4.5)]:
        stats.speech_ended(start + 100)
        stats.audio_sent(at=sent + 100)
    stats.usage(100, 20, 120)
    stats.usage(150, 30, 180)
    stats.tutor_audio(2.5)
    result = stats.finish_stats(reconnects=2, degraded=False)
    assert (result.latency_p50_ms, result.latency_p95_ms) == (800, 1500)
    assert (result.prompt_tokens, result.response_tokens, result.total_tokens) == (250, 50, 300)
    assert (result.reconnects, result.tutor_seconds) == (2, 2.5)


def test_a_conversation_without_answers_has_no_latency() -> None:
    result = SpeechStats().finish_stats(reconnects=0, degraded=True)
    assert (result.latency_p50_ms, result.latency_p95_ms, result.degraded) == (None, None, True)


def test_percentile_is_nearest_rank() -> None:
    assert percentile([5.0], 95) == 5.0
    assert percentile([4.0, 1.0, 3.0, 2.0, 5.0], 50) == 3.0
    assert percentile(list(map(float, range(1, 101))), 95) == 95.0
