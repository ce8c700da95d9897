"""The emulator's "ear" (tutor/emulator/hearing.py): it recognises its own voice saying one of
the texts it was given, through the changes a microphone and a browser make, and nothing else."""

from __future__ import annotations

import numpy as np
import pytest
import soxr

from tests.audio import silence, speechlike, tone
from tutor.emulator.hearing import MAX_DISTANCE, distance, recognise
from tutor.emulator.voice import synthesize

TEXTS = [
    "la cuenta, por favor",
    "Ayer fui al cine",
    "Ayer yo voy al cine",
    "Quisiera un café con leche",
    "Tengo veinte años",
    "Yo tengo veinte años",
]


def spoken(text: str, *, gain: float = 1.0, noise: float = 0.0, wpm: int = 150) -> bytes:
    """`text` in the emulator's Spanish voice as a browser would send it: 48 kHz, another
    pace than the emulator's own, scaled, with noise, and silence around it."""
    speech = np.frombuffer(synthesize(text, "es", 48000, wpm), np.int16).astype(np.float64)
    noisy = speech * gain + np.random.default_rng(0).normal(0, noise, speech.size)
    pad = np.frombuffer(silence(0.5, 48000), np.int16)
    samples = np.clip(noisy, -32768, 32767).astype(np.int16)
    return np.concatenate([pad, samples, pad]).tobytes()


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(
    ("gain", "noise"), [(1.0, 0.0), (1.6, 0.0), (0.5, 300.0)], ids=["plain", "loud", "noisy"]
)
def test_it_hears_its_own_voice_saying_a_text_it_was_given(
    text: str, gain: float, noise: float
) -> None:
    assert recognise(spoken(text, gain=gain, noise=noise), 48000, TEXTS, "es") == text


def test_one_word_more_or_less_is_another_text() -> None:
    assert recognise(spoken("Tengo veinte años"), 48000, ["Yo tengo veinte años"], "es") == ""
    assert recognise(spoken("Ayer fui al cine"), 48000, ["Ayer yo voy al cine"], "es") == ""


def test_it_hears_nothing_it_was_not_told_about() -> None:
    said = spoken("Me gustaría reservar una mesa")
    assert recognise(said, 48000, TEXTS, "es") == ""


def test_a_tone_noise_or_silence_is_not_speech() -> None:
    assert recognise(tone(440, 1.5, 16000), 16000, TEXTS, "es") == ""
    assert recognise(speechlike(2.0, 16000), 16000, TEXTS, "es") == ""
    assert recognise(silence(1.5, 16000), 16000, TEXTS, "es") == ""


def test_a_text_given_twice_is_still_heard() -> None:
    texts = ["la cuenta, por favor", "la cuenta, por favor", "Tengo veinte años"]
    assert recognise(spoken("la cuenta, por favor"), 48000, texts, "es") == texts[0]


def test_the_distance_separates_same_from_different_with_room_to_spare() -> None:
    from tutor.emulator.hearing import _features, _voice_features

    def heard(text: str) -> np.ndarray:
        pcm = np.frombuffer(spoken(text, noise=150.0), np.int16)
        return _features(soxr.resample(pcm, 48000, 16000).astype(np.int16))

    same = max(distance(heard(t), _voice_features(t, "es")) for t in TEXTS)
    other = min(
        distance(heard(a), _voice_features(b, "es")) for a in TEXTS for b in TEXTS if a != b
    )
    assert same < 0.85 * MAX_DISTANCE < MAX_DISTANCE < 0.85 * other
