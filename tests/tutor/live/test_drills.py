"""The drills' Gemini calls (tutor/live/drills.py) against the emulator, through the real SDK."""

from __future__ import annotations

import pytest

from tests.tutor.emulator.conftest import make_client
from tutor.audio.clip import to_wav
from tutor.emulator import Emulator
from tutor.emulator.voice import synthesize
from tutor.live.drills import (
    CHECK_UNAVAILABLE,
    SPEECH_UNAVAILABLE,
    DrillCard,
    TutorUnavailable,
    speak_text,
    transcribe_answer,
)

CARD = DrillCard("es", "Say it better:", "Ayer yo voy al cine", "Ayer fui al cine")


def spoken(text: str) -> bytes:
    return to_wav(synthesize(text, "es", 16000, 150), 16000)


@pytest.mark.parametrize("said", ["Ayer fui al cine", "Ayer yo voy al cine"])
async def test_the_model_writes_down_what_was_said_right_or_wrong(
    emulator: Emulator, said: str
) -> None:
    client = make_client(emulator)
    heard = await transcribe_answer(client, model="gemini-3.5-flash", card=CARD, wav=spoken(said))
    assert heard == said


async def test_speech_it_cannot_make_out_is_an_empty_transcript(emulator: Emulator) -> None:
    client = make_client(emulator)
    other = spoken("Quisiera un café con leche")
    assert await transcribe_answer(client, model="gemini-3.5-flash", card=CARD, wav=other) == ""


async def test_the_model_answer_comes_back_as_24k_speech(emulator: Emulator) -> None:
    client = make_client(emulator)
    pcm, rate = await speak_text(
        client, model="gemini-3.8-flash-tts", voice="Kore", language="es", text="Ayer fui al cine"
    )
    assert rate == 24000
    assert pcm == synthesize("Ayer fui al cine", "es", 24000)


async def test_an_unreachable_gemini_is_a_safe_message(emulator: Emulator) -> None:
    client = make_client(emulator)
    await emulator.stop()  # nothing listens on its port any more
    with pytest.raises(TutorUnavailable) as heard:
        await transcribe_answer(client, model="gemini-3.5-flash", card=CARD, wav=spoken("Hola"))
    assert str(heard.value) == CHECK_UNAVAILABLE
    with pytest.raises(TutorUnavailable) as spoke:
        await speak_text(client, model="m", voice="Kore", language="es", text="Hola")
    assert str(spoke.value) == SPEECH_UNAVAILABLE


async def test_a_rejected_key_says_so(emulator: Emulator) -> None:
    client = make_client(emulator, api_key="invalid-key")
    with pytest.raises(TutorUnavailable) as caught:
        await transcribe_answer(client, model="gemini-3.5-flash", card=CARD, wav=spoken("Hola"))
    assert caught.value.code == "upstream_auth"
    assert "invalid-key" not in str(caught.value)
