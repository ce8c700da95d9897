"""A prebuilt voice's sample (tutor/voice_preview.py): spoken once by the TTS model (here the
emulator, through the real SDK), kept, and served from the database after that."""

from __future__ import annotations

import io
import wave
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from lessons.models import VoicePreview
from tutor.emulator import Emulator
from tutor.emulator.voice import synthesize
from tutor.live import upstream
from tutor.prompts import preview_line

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_view_connections() -> Any:
    yield
    await database_sync_to_async(connections.close_all)()


def _pcm_of(wav_bytes: bytes) -> tuple[bytes, int]:
    with wave.open(io.BytesIO(wav_bytes)) as file:
        return file.readframes(file.getnframes()), file.getframerate()


def _url(voice: str, language: str) -> str:
    return reverse("tutor:voice_preview", args=[voice, language])


async def test_a_voice_is_spoken_once_in_that_voice_and_kept(
    emulator: Emulator, bob: User, async_client: Any
) -> None:
    await async_client.aforce_login(bob)
    first = await async_client.get(_url("Puck", "es"))
    assert first.status_code == 200
    assert first["Content-Type"] == "audio/wav"
    line = preview_line("Puck", "es")
    assert "Puck" in line
    # The emulator spoke the sample line in Puck's espeak variant, not the plain voice.
    assert _pcm_of(first.content) == (synthesize(line, "es", 24000, 160, "Puck"), 24000)
    assert _pcm_of(first.content)[0] != synthesize(line, "es", 24000, 160, None)
    await emulator.stop()  # kept: no second synthesis needed
    second = await async_client.get(_url("Puck", "es"))
    assert second.content == first.content
    kept = await database_sync_to_async(list)(VoicePreview.objects.values_list("voice", "language"))
    assert kept == [("Puck", "es")]


async def test_default_is_the_languages_usual_voice(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    await async_client.aforce_login(alice)
    response = await async_client.get(_url("default", "fr"))
    assert response.status_code == 200
    kept = await database_sync_to_async(VoicePreview.objects.get)()
    assert (kept.voice, kept.language) == ("Aoede", "fr")
    assert kept.text == preview_line("Aoede", "fr")


@pytest.mark.parametrize(("voice", "language"), [("Bob", "es"), ("Kore", "xx"), ("kore", "es")])
async def test_an_unknown_voice_or_language_is_a_404_and_reaches_nobody(
    voice: str, language: str, alice: User, async_client: Any
) -> None:
    await async_client.aforce_login(alice)
    # No emulator runs and the base URL is unreachable: a call would be a 503, not a 404.
    with override_settings(GOOGLE_GEMINI_BASE_URL="https://127.0.0.1:9", GEMINI_CA_FILE=""):
        upstream.client.cache_clear()
        try:
            response = await async_client.get(_url(voice, language))
        finally:
            upstream.client.cache_clear()
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


async def test_an_anonymous_visitor_is_sent_to_sign_in(async_client: Any) -> None:
    response = await async_client.get(_url("Kore", "es"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


async def test_an_unreachable_tts_is_a_503_with_a_message_and_keeps_nothing(
    alice: User, async_client: Any
) -> None:
    await async_client.aforce_login(alice)
    with override_settings(
        GOOGLE_GEMINI_BASE_URL="https://127.0.0.1:9", GEMINI_CA_FILE="", GEMINI_API_KEY="k-secret-1"
    ):
        upstream.client.cache_clear()
        try:
            response = await async_client.get(_url("Kore", "es"))
        finally:
            upstream.client.cache_clear()
    assert response.status_code == 503
    body = response.json()
    assert body["message"] == "Kore's sample cannot be played right now. Try again in a moment."
    assert "k-secret-1" not in response.content.decode()
    assert await database_sync_to_async(VoicePreview.objects.count)() == 0
