"""The emulator's prebuilt voices (tutor/emulator/voice.py): each one sounds different, the
language's own is espeak's plain voice, and a name no prebuilt voice has is refused, in a Live
setup and in a text-to-speech request alike."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from google.genai import errors, types

from accounts.choices import TUTOR_VOICES
from tests.tutor.emulator.conftest import INSTRUCTION, MODEL, live_config, make_client
from tests.tutor.emulator.test_strict_setup import refusal
from tests.tutor.emulator.test_turns import greet
from tutor.emulator import Emulator
from tutor.emulator.dialogue import new_state, plan_greeting
from tutor.emulator.setup import INVALID_ARGUMENT
from tutor.emulator.turns import WPM
from tutor.emulator.voice import PLAIN, PROFILES, _synthesize, espeak_voice, synthesize
from tutor.prompts import LANGUAGES, PREBUILT_VOICES, voice_for

SENTENCE = {
    "es": "Hola, ¿qué tal? Me llamo Ana y vivo en Madrid.",
    "ja": "こんにちは、たなかです。",
}


def _fresh(text: str, lang: str, voice: str | None) -> bytes:
    """A new synthesis, past the cache: espeak never gives the same samples twice."""
    name, pitch = espeak_voice(lang, voice)
    return _synthesize.__wrapped__(text, name, pitch, 24000, 160)


def spectrum(pcm: bytes) -> np.ndarray:
    """The long-term average spectrum in 32 log-spaced bands (dB, level removed): a voice's
    timbre and pitch, whatever was said."""
    x = np.frombuffer(pcm, np.int16).astype(float)
    frames = np.lib.stride_tricks.sliding_window_view(x, 512)[::256]
    frames = frames[np.sqrt((frames**2).mean(1)) > 500]
    power = np.abs(np.fft.rfft(frames * np.hanning(512), axis=1)) ** 2
    edges = np.geomspace(2, 256, 33).astype(int)
    bands = np.array([power[:, a:b].sum(1) for a, b in itertools.pairwise(edges)]).T
    level = 10 * np.log10(bands.mean(0) + 1e-9)
    return level - level.mean()


@pytest.mark.parametrize("lang", sorted(SENTENCE))
def test_every_prebuilt_voice_sounds_different_from_every_other(lang: str) -> None:
    text = SENTENCE[lang]
    heard = {voice: spectrum(_fresh(text, lang, voice)) for voice in PROFILES}
    # The same voice twice differs a little (espeak is not deterministic)...
    again = max(
        float(np.linalg.norm(spectrum(_fresh(text, lang, voice)) - heard[voice]))
        for voice in ("Kore", "Puck", "Sulafat", "Charon")
    )
    # ...and any two voices differ clearly more.
    closest = min(
        (float(np.linalg.norm(heard[a] - heard[b])), a, b)
        for a, b in itertools.combinations(PROFILES, 2)
    )
    assert again < 3.5
    assert closest[0] > 1.5 * again, closest


def test_the_languages_own_voice_is_espeaks_plain_voice_and_tertulias_choice() -> None:
    assert {lang: voice_for(lang) for lang in LANGUAGES} == PLAIN
    for lang, voice in PLAIN.items():
        assert espeak_voice(lang, voice) == espeak_voice(lang, None) == (lang, 50)
        assert synthesize("Hola", lang, 24000, 160, voice) == synthesize("Hola", lang)


def test_the_emulator_knows_the_same_thirty_voices_as_tertulia() -> None:
    assert set(PROFILES) == set(PREBUILT_VOICES) == {name for name, _ in TUTOR_VOICES}
    assert len(PROFILES) == 30
    assert len(set(PROFILES.values())) == 30  # no two share a variant and a pitch


async def test_a_session_speaks_in_the_voice_its_setup_names(emulator: Emulator) -> None:
    speech = types.SpeechConfig(
        language_code="es-ES",
        voice_config=types.VoiceConfig(
            prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name="Fenrir")
        ),
    )
    config = live_config().model_copy(update={"speech_config": speech})
    async with make_client(emulator).aio.live.connect(model=MODEL, config=config) as s:
        turn = await greet(s)
    greeting = plan_greeting(new_state("es-ES", INSTRUCTION)).reply
    assert turn.audio == synthesize(greeting, "es", 24000, WPM["A"], "Fenrir")
    assert turn.audio != synthesize(greeting, "es", 24000, WPM["A"])
    assert emulator.sessions[0].voice == "Fenrir"


@pytest.mark.parametrize("name", ["Bob", "kore", "en-US-Standard-A", ""])
async def test_a_setup_naming_no_prebuilt_voice_is_refused(emulator: Emulator, name: str) -> None:
    speech = types.SpeechConfig(
        voice_config=types.VoiceConfig(
            prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name=name)
        )
    )
    error = await refusal(emulator, live_config().model_copy(update={"speech_config": speech}))
    assert (error.code, error.details) == (1007, INVALID_ARGUMENT)


def _tts(voice: str) -> types.GenerateContentConfig:
    return types.GenerateContentConfig(
        response_modalities=["AUDIO"],
        speech_config=types.SpeechConfig(
            voice_config=types.VoiceConfig(
                prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name=voice)
            )
        ),
    )


async def test_text_to_speech_speaks_in_the_voice_asked_for(emulator: Emulator) -> None:
    said = {}
    for voice in ("Leda", "Algenib"):
        reply = await make_client(emulator).aio.models.generate_content(
            model="gemini-3.8-flash-tts",
            contents="Target language: de\nRead this aloud in German: «Guten Morgen»",
            config=_tts(voice),
        )
        said[voice] = reply.candidates[0].content.parts[0].inline_data.data
        assert said[voice] == synthesize("Guten Morgen", "de", 24000, 160, voice)
    assert said["Leda"] != said["Algenib"]


async def test_text_to_speech_refuses_an_unknown_voice_with_a_400(emulator: Emulator) -> None:
    with pytest.raises(errors.ClientError) as caught:
        await make_client(emulator).aio.models.generate_content(
            model="gemini-3.8-flash-tts", contents="«Hola»", config=_tts("Bob")
        )
    assert caught.value.code == 400
    assert "Bob" in str(caught.value.message)
