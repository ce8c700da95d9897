"""Gemini's own failures as a learner reads them: our sentence for the failure's kind, in the
learner's language, never the service's words (which are English and talk of quotas, billing
and arguments). The emulator refuses as the real API does (`Fault("refuse")` for a
generateContent request, `Fault("close")`/`Fault("reject")` for a Live connection); the
learners here read German or French."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from lessons.models import GroupRoom, PlacementResult
from lessons.services import groups
from lessons.services.conversations import conversation_finish, conversation_record_turn
from lessons.services.placement import placement_start
from tests.base import make_user
from tests.lessons.learner_data import make_conversation
from tests.tutor.conftest import final, kind
from tests.tutor.conversation.talk import join, start_conversation
from tests.tutor.group.test_room_socket import Member
from tests.tutor.typed import post_line, typing_in
from tutor.emulator import Emulator, Fault
from tutor.emulator.placement import load
from tutor.emulator.text import REFUSALS
from tutor.learner_texts import unavailable_text
from tutor.live import texts
from tutor.live.hints import UNAVAILABLE as HINTS_UNAVAILABLE
from tutor.live.text_reply import UNAVAILABLE as TYPED_UNAVAILABLE
from tutor.live.text_reply import TutorUnavailable
from tutor.live.words import UNAVAILABLE as WORD_UNAVAILABLE

# Writes that commit, and no runtime (a room's above all) left writing after a test.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("no_runtime_leaks")]

# Gemini's words that must never reach a page (its refusals, the Live close reason below).
QUOTA_REASON = "RESOURCE_EXHAUSTED: You exceeded your current quota, please check your plan."
SERVICE_WORDS = ("quota", "Quota", "billing", "RESOURCE", "overloaded", "argument", "Gemini")


def _in(code: str, sentence: str) -> str:
    with translation.override(code):
        said = translation.gettext(sentence)
    assert said != sentence, f"{sentence!r} has no {code} translation"
    return said


def _clean(text: str) -> None:
    assert not [word for word in SERVICE_WORDS if word in text], text


@pytest.fixture(autouse=True)
async def _close_view_connections() -> Any:
    yield
    await database_sync_to_async(connections.close_all)()


@pytest.fixture
def hans(db: Any) -> User:
    return make_user("hans.fehler@example.org", native_language="de", target_language="es")


@pytest.fixture
def amelie(db: Any) -> User:
    return make_user("amelie.erreur@example.org", native_language="fr", target_language="es")


def test_a_failure_is_told_by_its_kind_whatever_its_message() -> None:
    """Even a TutorUnavailable carrying the service's words is shown as our sentence."""
    raw = TutorUnavailable("Gemini quota exhausted (HTTP 429): " + QUOTA_REASON, "upstream_quota")
    with translation.override("de"):
        assert unavailable_text(raw) == _in("de", texts.QUOTA)
    for code, sentence in (
        ("upstream_auth", texts.NOT_SET_UP),
        ("upstream_config", texts.REFUSED),
    ):
        with translation.override("fr"):
            assert unavailable_text(TutorUnavailable("Request contains…", code)) == _in(
                "fr", sentence
            )


async def test_the_typed_fallback_tells_a_quota_in_the_learners_words(
    emulator: Emulator, hans: User, async_client: Any
) -> None:
    conversation = await typing_in(async_client, hans)
    emulator.inject(Fault("refuse", status=429))
    response = await post_line(async_client, conversation, "Hola, ¿qué tal?")
    assert response.status_code == 503
    body = response.json()
    assert (body["error"], body["message"]) == ("upstream_quota", _in("de", texts.QUOTA))
    _clean(body["message"])
    # A passing failure (the model overloaded) says what the caller could not do, in German.
    emulator.inject(Fault("refuse", status=503))
    body = (await post_line(async_client, conversation, "¿Sigues ahí?")).json()
    assert body["message"] == _in("de", TYPED_UNAVAILABLE)


async def test_hints_and_words_tell_a_refusal_and_an_outage_in_french(
    emulator: Emulator, amelie: User, async_client: Any
) -> None:
    conversation = await typing_in(async_client, amelie)
    hints = reverse("tutor:hints", args=[conversation.pk])
    emulator.inject(Fault("refuse", status=400))
    refused = await async_client.post(hints)
    assert refused.status_code == 503
    assert refused.json()["message"] == _in("fr", texts.REFUSED)
    emulator.inject(Fault("refuse", status=503))
    assert (await async_client.post(hints)).json()["message"] == _in("fr", HINTS_UNAVAILABLE)

    said = await database_sync_to_async(make_conversation)(
        amelie, turns=[("tutor", "¡Hola! ¿Cómo estás hoy?")]
    )
    words = reverse("tutor:word_lookup", args=[said.pk])
    tap = {"word": "estás", "sentence": "¡Hola! ¿Cómo estás hoy?", "turn": 0}
    emulator.inject(Fault("refuse", status=429))
    quota = await async_client.post(words, tap, content_type="application/json")
    assert quota.json()["message"] == _in("fr", texts.QUOTA)
    emulator.inject(Fault("refuse", status=500))
    down = await async_client.post(words, tap, content_type="application/json")
    assert down.json()["message"] == _in("fr", WORD_UNAVAILABLE)
    for response in (refused, quota, down):
        _clean(response.json()["message"])
        assert REFUSALS[429][1] not in response.content.decode()


@database_sync_to_async
def _placement(learner: User) -> PlacementResult:
    result = placement_start(learner=learner)
    pk = result.conversation.pk
    conversation_record_turn(conversation_id=pk, speaker="tutor", text="¡Hola!")
    conversation_record_turn(
        conversation_id=pk, speaker="learner", text=load("es").probes["A2"].answer
    )
    conversation_finish(conversation_id=pk, reason="learner_ended")
    return result


async def test_a_placement_that_hit_the_quota_says_so_in_german(
    emulator: Emulator, hans: User, async_client: Any
) -> None:
    result = await _placement(hans)
    await async_client.aforce_login(hans)
    emulator.inject(Fault("refuse", status=429))
    await async_client.post(reverse("tutor:placement_assess", args=[result.pk]))
    failed = await database_sync_to_async(PlacementResult.objects.get)(pk=result.pk)
    assert (failed.status, failed.failure) == ("failed", texts.QUOTA)  # kept in English
    page = (await async_client.get(reverse("learn:placement_result", args=[result.pk]))).content
    assert _in("de", texts.QUOTA).replace("'", "&#x27;") in page.decode()
    _clean(page.decode().split('id="placement-failure"')[1].split("</p>")[0])


async def test_the_socket_tells_a_quota_close_in_the_learners_language(
    emulator: Emulator, hans: User
) -> None:
    # After the greeting, the Live service closes as it does when the key's quota is spent.
    emulator.inject(Fault("close", code=1011, after_turns=1, reason=QUOTA_REASON))
    conversation = await start_conversation(hans)
    client = await join(conversation, user=hans)
    await client.send(type="text", text="Hola, estoy bien.")
    error = await client.until(kind("error"), within=30)
    assert (error["code"], error["message"]) == ("upstream_quota", _in("de", texts.QUOTA))
    _clean(error["message"])
    assert await client.closed(within=30) == 4502


async def test_the_socket_tells_a_lost_service_in_french_after_its_retries(
    emulator: Emulator, amelie: User
) -> None:
    emulator.inject(
        Fault(
            kind="close", code=1011, after_turns=1, reason="The service is currently unavailable."
        ),
        *[Fault(kind="reject", status=503) for _ in range(10)],
    )
    conversation = await start_conversation(amelie)
    client = await join(conversation, user=amelie)
    await client.send(type="text", text="Hola, estoy bien.")
    error = await client.until(kind("error"), within=60)
    assert (error["code"], error["message"]) == (
        "upstream_unavailable",
        _in("fr", texts.LIVE_UNAVAILABLE),
    )
    _clean(error["message"])
    assert await client.closed(within=30) == 4502


@database_sync_to_async
def _room(*learners: User) -> GroupRoom:
    room = groups.group_open(creator=learners[0], language="es", level="A2")
    for learner in learners:
        groups.group_join(room=room, learner=learner)
    return room


async def test_a_group_room_tells_each_member_in_their_own_language(
    emulator: Emulator, hans: User, amelie: User
) -> None:
    emulator.inject(Fault("close", code=1011, after_turns=1, reason=QUOTA_REASON))
    room = await _room(hans, amelie)
    pages = [Member(room, hans), Member(room, amelie)]
    for page in pages:
        await page.connect()
        await page.start()
    for page in pages:
        await page.until(final("tutor"), within=30)
    await pages[0].send(type="text", text="Hola a todos.")
    said = [(await page.until(kind("error"), within=30))["message"] for page in pages]
    assert said == [_in("de", texts.QUOTA), _in("fr", texts.QUOTA)]


async def test_a_rooms_typed_line_that_hit_the_quota_says_so_in_french(
    emulator: Emulator, amelie: User, hans: User, async_client: Any
) -> None:
    room = await _room(amelie, hans)
    await async_client.aforce_login(amelie)
    emulator.inject(Fault("refuse", status=429))
    url = reverse("tutor:group_message", args=[room.pk])
    response = await async_client.post(url, {"text": "Hola"}, content_type="application/json")
    assert response.status_code == 503
    assert response.json()["message"] == _in("fr", texts.QUOTA)
