"""The drill page's spoken answers and model-answer audio (tutor/drills.py), through the real
SDK and the emulator, which hears only its own voice (tutor/emulator/hearing.py)."""

from __future__ import annotations

import io
import wave
from typing import Any

import numpy as np
import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from lessons.models import DrillAttempt, Phrase, PhraseAudio
from tests.lessons.learner_data import make_conversation, make_phrase
from tutor.audio.clip import to_wav
from tutor.emulator import Emulator
from tutor.emulator.voice import synthesize
from tutor.live import upstream

pytestmark = pytest.mark.django_db(transaction=True)
MIC_RATE = 48000


@pytest.fixture(autouse=True)
async def _close_view_connections() -> Any:
    """The async views query from asgiref's thread; close its connection so the test
    database can be dropped at the end."""
    yield
    await database_sync_to_async(connections.close_all)()


def recording(text: str, rate: int = MIC_RATE) -> bytes:
    """`text` in the emulator's Spanish voice, as the page sends it: a WAV at the mic's rate."""
    speech = np.frombuffer(synthesize(text, "es", rate, 150), np.int16)
    pad = np.zeros(rate // 4, np.int16)
    return to_wav(np.concatenate([pad, speech, pad]).tobytes(), rate)


async def post_answer(client: Any, phrase: Phrase, body: bytes, **extra: Any) -> Any:
    url = reverse("tutor:drill_spoken", args=[phrase.pk])
    return await client.post(
        url, body, content_type=extra.pop("content_type", "audio/wav"), **extra
    )


@database_sync_to_async
def correction_card(learner: User) -> Phrase:
    make_conversation(
        learner, corrections=[(3, "Ayer yo voy al cine", "Ayer fui al cine", "grammar")]
    )
    return Phrase.objects.select_related("source_correction").get(learner=learner)


@database_sync_to_async
def attempts() -> list[tuple[str, str, bool]]:
    return list(DrillAttempt.objects.values_list("mode", "heard", "matched"))


async def test_saying_the_cards_answer_is_heard_and_matches(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    card = await correction_card(alice)
    await async_client.aforce_login(alice)
    response = await post_answer(async_client, card, recording("Ayer fui al cine"))
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["heard"], data["matched"], data["suggestedRating"]) == (
        "Ayer fui al cine",
        True,
        3,
    )
    assert "That's it!" in data["html"] and "Heard" in data["html"]
    assert await attempts() == [("spoken", "Ayer fui al cine", True)]


async def test_repeating_the_old_mistake_is_heard_as_such_and_suggests_again(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    card = await correction_card(alice)
    await async_client.aforce_login(alice)
    data = (await post_answer(async_client, card, recording("Ayer yo voy al cine"))).json()
    assert (data["heard"], data["matched"], data["suggestedRating"]) == (
        "Ayer yo voy al cine",
        False,
        1,
    )
    # The words that differ are marked, as on a correction: said → better.
    assert "<del>yo voy</del>" in data["html"] and "<ins>fui</ins>" in data["html"]


async def test_speech_the_checker_cannot_make_out_says_so(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    card = await correction_card(alice)
    await async_client.aforce_login(alice)
    data = (await post_answer(async_client, card, recording("Quisiera un café con leche"))).json()
    assert (data["heard"], data["matched"]) == ("", False)
    assert "No words were recognised" in data["html"]
    assert "recognises only its own synthesized voice" in data["html"]  # the demo says why


async def test_someone_elses_card_is_not_found(
    emulator: Emulator, alice: User, charlie: User, async_client: Any
) -> None:
    card = await correction_card(alice)
    await async_client.aforce_login(charlie)
    response = await post_answer(async_client, card, recording("Ayer fui al cine"))
    assert response.status_code == 404
    assert await attempts() == []


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        (b"RIFF....WAVEfmt ", "audio/wav", 400, "not a WAV file that can be read"),
        (to_wav(np.zeros(MIC_RATE, np.int16).tobytes(), MIC_RATE), "audio/wav", 400, "silence"),
        (to_wav(b"\x10\x00" * 4000, MIC_RATE), "audio/wav", 400, "too short"),
        (to_wav(b"\x10\x00" * 16000 * 16, 16000), "audio/wav", 400, "under 15 s"),
        (b"x" * 10, "audio/webm", 415, "WAV file"),
    ],
    ids=["unreadable", "silent", "short", "long", "webm"],
)
async def test_a_recording_that_cannot_be_checked_gets_a_clear_message(
    emulator: Emulator,
    alice: User,
    async_client: Any,
    body: bytes,
    content_type: str,
    status: int,
    message: str,
) -> None:
    card = await correction_card(alice)
    await async_client.aforce_login(alice)
    response = await post_answer(async_client, card, body, content_type=content_type)
    assert response.status_code == status
    assert message in response.json()["message"]
    assert await attempts() == []


async def test_an_oversized_upload_is_refused_before_it_is_read(
    alice: User, async_client: Any
) -> None:
    card = await correction_card(alice)
    await async_client.aforce_login(alice)
    response = await post_answer(async_client, card, b"x" * 2_000_001)
    assert response.status_code == 413
    assert "too long" in response.json()["message"]


@override_settings(DRILL_CHECKS_PER_HOUR=2)
async def test_spoken_checks_are_limited_per_learner_per_hour(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    card = await correction_card(alice)
    await async_client.aforce_login(alice)
    statuses = [
        (await post_answer(async_client, card, recording("Ayer fui al cine"))).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    refused = await post_answer(async_client, card, recording("Ayer fui al cine"))
    assert "in the last hour" in refused.json()["message"]


@override_settings(DRILL_CHECKS_PER_IP_PER_HOUR=1)
async def test_spoken_checks_are_limited_per_address(
    emulator: Emulator, alice: User, charlie: User, async_client: Any
) -> None:
    theirs = [await correction_card(alice), await correction_card(charlie)]
    codes = []
    for who, card in zip([alice, charlie], theirs, strict=True):
        await async_client.aforce_login(who)
        codes.append(
            (await post_answer(async_client, card, recording("Ayer fui al cine"))).status_code
        )
    assert codes == [200, 429]


async def test_an_unreachable_checker_says_so_and_the_attempt_counts(
    alice: User, async_client: Any
) -> None:
    card = await correction_card(alice)
    await async_client.aforce_login(alice)
    with override_settings(GOOGLE_GEMINI_BASE_URL="https://127.0.0.1:9", GEMINI_CA_FILE=""):
        upstream.client.cache_clear()
        try:
            response = await post_answer(async_client, card, recording("Ayer fui al cine"))
        finally:
            upstream.client.cache_clear()
    assert response.status_code == 503
    assert response.json()["message"] == (
        "Your answer could not be checked right now. Try again, or type it."
    )
    assert await attempts() == [("spoken", "", False)]


def _pcm_of(wav_bytes: bytes) -> tuple[bytes, int]:
    with wave.open(io.BytesIO(wav_bytes)) as file:
        return file.readframes(file.getnframes()), file.getframerate()


async def test_the_model_answer_is_spoken_once_and_kept(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    card = await database_sync_to_async(make_phrase)(alice, "la cuenta, por favor")
    await async_client.aforce_login(alice)
    url = reverse("tutor:drill_audio", args=[card.pk])
    first = await async_client.get(url)
    assert first.status_code == 200
    assert first["Content-Type"] == "audio/wav"
    assert _pcm_of(first.content) == (synthesize("la cuenta, por favor", "es", 24000), 24000)
    await emulator.stop()  # kept: no second synthesis needed
    second = await async_client.get(url)
    assert second.content == first.content
    assert await database_sync_to_async(PhraseAudio.objects.count)() == 1


async def test_the_model_answer_unavailable_is_a_503_the_page_can_fall_back_on(
    alice: User, async_client: Any
) -> None:
    card = await database_sync_to_async(make_phrase)(alice, "la cuenta, por favor")
    await async_client.aforce_login(alice)
    with override_settings(GOOGLE_GEMINI_BASE_URL="https://127.0.0.1:9", GEMINI_CA_FILE=""):
        upstream.client.cache_clear()
        try:
            response = await async_client.get(reverse("tutor:drill_audio", args=[card.pk]))
        finally:
            upstream.client.cache_clear()
    assert response.status_code == 503
    assert response.json()["message"] == "The model answer cannot be spoken right now."


async def test_nobody_else_hears_a_cards_answer(
    emulator: Emulator, alice: User, charlie: User, async_client: Any
) -> None:
    card = await database_sync_to_async(make_phrase)(alice, "la cuenta, por favor")
    await async_client.aforce_login(charlie)
    response = await async_client.get(reverse("tutor:drill_audio", args=[card.pk]))
    assert response.status_code == 404
