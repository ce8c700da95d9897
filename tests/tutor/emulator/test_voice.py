"""espeak-ng synthesis (tutor/emulator/voice.py)."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.emulator.voice import VOICES, synthesize, tone_pattern


@pytest.mark.parametrize("lang", sorted(VOICES))
def test_it_speaks_every_supported_language(lang: str) -> None:
    pcm = synthesize("Hola, ¿qué tal?" if lang != "ja" else "こんにちは", lang, 24000)
    samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float64)
    assert 0.3 < len(samples) / 24000 < 5
    assert np.sqrt(np.mean(samples**2)) > 1000


def test_the_output_rate_sets_the_length() -> None:
    at24 = len(synthesize("Buenos días", "es", 24000)) / 24000
    at16 = len(synthesize("Buenos días", "es", 16000)) / 16000
    assert abs(at24 - at16) < 0.01


def test_slower_speech_is_longer() -> None:
    text = "Me gusta leer libros y escuchar música."
    assert len(synthesize(text, "es", 24000, 120)) > len(synthesize(text, "es", 24000, 200))


def test_the_tone_fallback_beeps_once_per_word() -> None:
    pcm = np.frombuffer(tone_pattern(3, 24000), dtype=np.int16)
    assert len(pcm) == 3 * (int(0.22 * 24000) + int(0.08 * 24000))
    assert np.abs(pcm).max() > 9000
