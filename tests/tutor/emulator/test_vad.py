"""Energy VAD and input resampling (tutor/emulator/vad.py)."""

from __future__ import annotations

import numpy as np

from tests.audio import encode, tone_array
from tutor.emulator.vad import EnergyVad, To16k
from tutor.emulator.voice import synthesize


def loud(seconds: float) -> bytes:
    return encode(tone_array(220, seconds, 16000, amp=0.3))


def quiet(seconds: float) -> bytes:
    return bytes(int(seconds * 16000) * 2)


def test_speech_then_silence_gives_start_then_end() -> None:
    vad = EnergyVad(silence_ms=600)
    assert vad.feed(loud(0.5)) == ["start"]
    assert vad.feed(quiet(0.5)) == []
    assert vad.feed(quiet(0.2)) == ["end"]


def test_a_click_shorter_than_the_onset_is_not_speech() -> None:
    vad = EnergyVad(silence_ms=600)
    assert vad.feed(loud(0.04) + quiet(1.0)) == []


def test_decisions_count_samples_not_wall_time() -> None:
    chunked = EnergyVad(silence_ms=300)
    pcm = loud(0.3) + quiet(0.4)
    events = [e for i in range(0, len(pcm), 250) for e in chunked.feed(pcm[i : i + 250])]
    assert events == EnergyVad(silence_ms=300).feed(pcm) == ["start", "end"]


def test_flush_ends_an_utterance_only_if_one_is_open() -> None:
    vad = EnergyVad(silence_ms=600)
    assert not vad.flush()
    vad.feed(loud(0.2))
    assert vad.flush() and not vad.speaking


def test_real_speech_is_one_utterance() -> None:
    vad = EnergyVad(silence_ms=600)
    assert vad.feed(synthesize("Yo soy cansado hoy, trabajé mucho.", "es", 16000) + quiet(1)) == [
        "start",
        "end",
    ]


def test_it_resamples_48k_to_16k_across_odd_chunks() -> None:
    resample = To16k()
    pcm = encode(tone_array(440, 1.0, 48000))
    out = b"".join(resample(pcm[i : i + 1001], 48000) for i in range(0, len(pcm), 1001))
    samples = np.frombuffer(out, dtype=np.int16)
    assert abs(len(samples) - 16000) < 400  # the filter holds back a few ms
    spectrum = np.abs(np.fft.rfft(samples[2000:12000]))
    assert abs(np.argmax(spectrum) * 16000 / 10000 - 440) < 5


def test_16k_passes_through_untouched() -> None:
    pcm = loud(0.1)
    assert To16k()(pcm, 16000) == pcm
