"""generateContent with audio in (a recording to transcribe) or out (text to speech), through
the real SDK (tutor/emulator/audio_content.py)."""

from __future__ import annotations

import io
import json
import wave

import numpy as np
import pytest
from google.genai import errors, types

from tests.tutor.emulator.conftest import make_client
from tutor.emulator import Emulator
from tutor.emulator.voice import synthesize

ASK = "Target language: es\nExpected answer: «la cuenta, por favor»\nOr: «Tengo veinte años»"


def wav(pcm: bytes, rate: int, channels: int = 1) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as file:
        file.setnchannels(channels)
        file.setsampwidth(2)
        file.setframerate(rate)
        file.writeframes(pcm)
    return out.getvalue()


def ask(audio: bytes, mime: str = "audio/wav", text: str = ASK) -> list[types.Content]:
    parts = [types.Part(text=text), types.Part.from_bytes(data=audio, mime_type=mime)]
    return [types.Content(role="user", parts=parts)]


JSON = types.GenerateContentConfig(response_mime_type="application/json")


async def test_it_transcribes_its_own_voice_saying_a_quoted_text(emulator: Emulator) -> None:
    audio = wav(synthesize("Tengo veinte años", "es", 44100, 140), 44100)
    reply = await make_client(emulator).aio.models.generate_content(
        model="gemini-3.5-flash", contents=ask(audio), config=JSON
    )
    assert json.loads(reply.text or "") == {"transcript": "Tengo veinte años"}


async def test_raw_pcm_and_stereo_wav_are_heard_too(emulator: Emulator) -> None:
    pcm = synthesize("la cuenta, por favor", "es", 16000)
    mono = np.frombuffer(pcm, np.int16)
    stereo = wav(np.column_stack([mono, mono]).tobytes(), 16000, channels=2)
    client = make_client(emulator)
    for audio, mime in [(pcm, "audio/pcm;rate=16000"), (stereo, "audio/wav")]:
        reply = await client.aio.models.generate_content(
            model="gemini-3.5-flash", contents=ask(audio, mime)
        )
        assert reply.text == "la cuenta, por favor"  # no JSON asked: the transcript alone


async def test_an_unquoted_text_is_never_heard(emulator: Emulator) -> None:
    audio = wav(synthesize("Me gustaría reservar una mesa", "es", 16000), 16000)
    reply = await make_client(emulator).aio.models.generate_content(
        model="gemini-3.5-flash", contents=ask(audio), config=JSON
    )
    assert json.loads(reply.text or "") == {"transcript": ""}


async def test_a_broken_wav_is_a_400(emulator: Emulator) -> None:
    with pytest.raises(errors.ClientError) as caught:
        await make_client(emulator).aio.models.generate_content(
            model="gemini-3.5-flash", contents=ask(b"RIFF-not-really")
        )
    assert caught.value.code == 400


async def test_audio_out_speaks_the_quoted_text_at_24k(emulator: Emulator) -> None:
    config = types.GenerateContentConfig(
        response_modalities=["AUDIO"],
        speech_config=types.SpeechConfig(
            voice_config=types.VoiceConfig(
                prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name="Kore")
            )
        ),
    )
    reply = await make_client(emulator).aio.models.generate_content(
        model="gemini-3.8-flash-tts",
        contents="Target language: es\nRead this aloud in Spanish: «la cuenta, por favor»",
        config=config,
    )
    blob = reply.candidates[0].content.parts[0].inline_data
    assert blob.mime_type == "audio/L16;codec=pcm;rate=24000"
    assert blob.data == synthesize("la cuenta, por favor", "es", 24000)
