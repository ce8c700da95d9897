from __future__ import annotations

from tests.audio import silence, tone
from tutor.audio.learner_voice import BYTES_PER_SECOND, LearnerVoice


def test_it_skips_silence_before_the_learner_speaks() -> None:
    voice = LearnerVoice()
    voice.add(silence(0.5, 16000))
    speech = tone(440, 0.2, 16000)
    voice.add(speech)
    voice.add(silence(0.1, 16000))  # silence inside a turn is part of it
    assert voice.take() == speech + silence(0.1, 16000)


def test_a_take_starts_the_next_turn_afresh() -> None:
    voice = LearnerVoice()
    voice.add(tone(440, 0.1, 16000))
    voice.take()
    assert voice.take() == b""


def test_it_keeps_only_the_last_max_seconds() -> None:
    voice = LearnerVoice(max_seconds=1)
    first, second = tone(440, 0.6, 16000), tone(660, 0.6, 16000)
    voice.add(first)
    voice.add(second)
    kept = voice.take()
    assert kept == second and len(kept) <= BYTES_PER_SECOND
