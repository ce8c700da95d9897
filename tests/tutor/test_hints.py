""" "What could I say?" over HTTP (tutor/hints.py): the real SDK against the emulator, real
PostgreSQL. Who may ask, the cache, the limits, the trial and what is stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from lessons.models import Conversation, Hint, Turn
from lessons.services import conversations as services
from tests.base import make_topic
from tests.tutor.typed import typing_in
from tutor.emulator import Emulator
from tutor.live import upstream

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
PHRASES = ["Quisiera un café con leche.", "¿Cuánto cuesta?", "La cuenta, por favor."]


@pytest.fixture(autouse=True)
async def _close_view_connections() -> Any:
    yield
    await database_sync_to_async(connections.close_all)()


async def ask(client: Any, conversation: Conversation, **extra: Any) -> Any:
    return await client.post(reverse("tutor:hints", args=[conversation.pk]), **extra)


@database_sync_to_async
def cafe() -> Any:
    return make_topic(target_phrases=PHRASES, opener="¡Hola! ¿Qué le pongo?")


@database_sync_to_async
def say(conversation: Conversation, speaker: str, text: str) -> None:
    services.conversation_record_turn(conversation_id=conversation.pk, speaker=speaker, text=text)


@database_sync_to_async
def hints() -> list[tuple[int, int, list[dict[str, str]]]]:
    return list(Hint.objects.values_list("next_ordinal", "attempts", "suggestions"))


async def test_a_learner_gets_the_scenes_next_lines_with_glosses(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    conversation = await typing_in(async_client, alice, topic=await cafe())
    await say(conversation, "tutor", "¡Hola! ¿Qué le pongo?")
    response = await ask(async_client, conversation)
    assert response.status_code == 200, response.content
    data = response.json()
    assert [s["text"] for s in data["suggestions"]] == [*PHRASES, "Gracias."][:3]
    assert data["suggestions"][1]["gloss"] == "Asking how much it costs"
    assert data["cached"] is False
    assert await hints() == [(1, 1, data["suggestions"])]


async def test_asking_again_before_anyone_speaks_costs_no_new_call(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    conversation = await typing_in(async_client, alice, topic=await cafe())
    first = (await ask(async_client, conversation)).json()
    again = (await ask(async_client, conversation)).json()
    assert again["cached"] is True and again["suggestions"] == first["suggestions"]
    assert [attempts for _, attempts, _ in await hints()] == [1]
    # Once the learner has said the first phrase, the hint moves on with the scene.
    await say(conversation, "learner", PHRASES[0])
    await say(conversation, "tutor", "¡Muy bien! ¿Algo más?")
    later = (await ask(async_client, conversation)).json()
    assert later["cached"] is False
    assert later["suggestions"][0]["text"] == PHRASES[1]
    assert [point for point, _, _ in await hints()] == [0, 2]


@override_settings(HINTS_PER_HOUR=2)
async def test_the_hourly_limit_refuses_with_a_clear_message(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    conversation = await typing_in(async_client, alice)
    for line in ("¡Hola!", "Hola, ¿qué tal?"):
        assert (await ask(async_client, conversation)).status_code == 200
        await say(conversation, "tutor", line)
    refused = await ask(async_client, conversation)
    assert refused.status_code == 429
    assert refused.json()["message"].startswith("You've asked for a lot of hints")
    # A hint already given is still served: it costs nothing.
    await database_sync_to_async(Turn.objects.filter(ordinal=1).delete)()
    assert (await ask(async_client, conversation)).json()["cached"] is True


@override_settings(HINTS_PER_IP_PER_HOUR=1)
async def test_the_per_address_limit_counts_every_learner_there(
    emulator: Emulator, alice: User, charlie: User, async_client: Any
) -> None:
    conversation = await typing_in(async_client, alice)
    assert (await ask(async_client, conversation, REMOTE_ADDR="203.0.113.9")).status_code == 200
    theirs = await typing_in(async_client, charlie)
    refused = await ask(async_client, theirs, REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert "from your network" in refused.json()["message"]


async def test_only_the_conversations_learner_may_ask(
    alice: User, bob: User, async_client: Any
) -> None:
    conversation = await typing_in(async_client, alice)
    await async_client.aforce_login(bob)
    assert (await ask(async_client, conversation)).status_code == 404
    await async_client.alogout()
    response = await ask(async_client, conversation)
    assert response.status_code == 401 and "Sign in" in response.json()["message"]
    assert not await database_sync_to_async(Hint.objects.exists)()


async def test_an_ended_conversation_gets_no_hint(alice: User, async_client: Any) -> None:
    conversation = await typing_in(async_client, alice)
    await database_sync_to_async(services.conversation_finish)(
        conversation_id=conversation.pk, reason="learner_ended"
    )
    response = await ask(async_client, conversation)
    assert response.status_code == 410 and response.json()["message"]


async def test_a_trial_gets_hints_until_its_minute_is_over(
    emulator: Emulator, async_client: Any
) -> None:
    await async_client.post(reverse("tutor:trial"), {"language": "fr"})
    trial = await database_sync_to_async(Conversation.objects.get)()
    response = await ask(async_client, trial)
    assert response.status_code == 200, response.content
    assert len(response.json()["suggestions"]) == 3
    # A hint does not start the trial clock: only talking does.
    await database_sync_to_async(trial.refresh_from_db)()
    assert trial.first_audio_at is None
    await database_sync_to_async(Conversation.objects.filter(pk=trial.pk).update)(
        first_audio_at=timezone.now() - timedelta(seconds=61)
    )
    await say(trial, "tutor", "Bonjour !")
    over = await ask(async_client, trial)
    assert over.status_code == 403 and over.json()["error"] == "trial_over"


async def test_another_browser_cannot_ask_for_my_trials_hints(
    async_client: Any, client: Any
) -> None:
    await async_client.post(reverse("tutor:trial"), {"language": "es"})
    trial = await database_sync_to_async(Conversation.objects.get)()
    response = await database_sync_to_async(client.post)(reverse("tutor:hints", args=[trial.pk]))
    assert response.status_code == 404


async def test_an_unavailable_model_is_a_503_and_the_call_still_counts(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    conversation = await typing_in(async_client, alice)
    with override_settings(GEMINI_API_KEY="invalid-key"):
        upstream.client.cache_clear()
        response = await ask(async_client, conversation)
    upstream.client.cache_clear()
    assert response.status_code == 503
    assert "invalid-key" not in response.content.decode() and response.json()["message"]
    assert await hints() == [(0, 1, [])]
    retried = await ask(async_client, conversation)
    assert retried.status_code == 200 and retried.json()["cached"] is False
    assert [attempts for _, attempts, _ in await hints()] == [2]


async def test_the_learners_choice_is_noted(
    emulator: Emulator, alice: User, bob: User, async_client: Any
) -> None:
    conversation = await typing_in(async_client, alice, topic=await cafe())
    data = (await ask(async_client, conversation)).json()
    url = data["chosenUrl"]
    bad = await async_client.post(url, {"index": 7}, content_type="application/json")
    assert bad.status_code == 400
    ok = await async_client.post(url, {"index": 1}, content_type="application/json")
    assert ok.status_code == 200
    chosen = await database_sync_to_async(lambda: Hint.objects.get().chosen)()
    assert chosen == 1
    await async_client.aforce_login(bob)
    theirs = await async_client.post(url, {"index": 0}, content_type="application/json")
    assert theirs.status_code == 404


@pytest.mark.parametrize(
    "body", [b"", b"{", b"\xff\xfe", b'{"index": true}', b'{"index": -1}', b'{"index": 1e9}']
)
async def test_a_choice_that_names_no_suggestion_is_a_400(
    emulator: Emulator, alice: User, async_client: Any, body: bytes
) -> None:
    conversation = await typing_in(async_client, alice)
    url = (await ask(async_client, conversation)).json()["chosenUrl"]
    response = await async_client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and response.json()["message"]


async def test_a_hint_id_out_of_any_range_is_a_400_not_a_500(
    alice: User, async_client: Any
) -> None:
    conversation = await typing_in(async_client, alice)
    url = reverse("tutor:hint_chosen", args=[conversation.pk, 10**30])
    response = await async_client.post(url, {"index": 0}, content_type="application/json")
    assert response.status_code == 400
