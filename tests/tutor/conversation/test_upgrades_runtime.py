""" "Say it better" end to end below the browser: the emulator's note_upgrade (NON_BLOCKING on
3.8, scattered before, during or after the audio by seed) reaches the page as an `upgrade` frame
about the right learner turn and is stored once, with its deck card; the typed HTTP fallback
stores and returns one too."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from accounts.models import User
from lessons.models import Phrase, Topic, Upgrade
from tests.base import make_topic
from tests.tutor.conftest import SOCKET_TEST, spanish_48k
from tests.tutor.conversation.talk import converse, start_conversation
from tests.tutor.test_views import typed_emulator  # noqa: F401 (a fixture, used by name)
from tutor.emulator import Emulator

pytestmark = SOCKET_TEST

# The scene's first line has no error and is plain (an upgrade); the second has one (a fix).
PHRASES = ["Quiero pagar, por favor.", "¿Me trae la cuenta?"]
BETTER = "Me gustaría pagar, por favor."


@database_sync_to_async
def _paying_topic() -> Topic:
    return make_topic(title="Pagar en el bar", target_phrases=PHRASES, opener="¿Algo más?")


@database_sync_to_async
def _stored(conversation: Any) -> tuple[list[tuple[int, str, str]], list[str], int]:
    upgrades = Upgrade.objects.filter(turn__conversation=conversation)
    rows = list(upgrades.values_list("turn__ordinal", "original", "upgraded"))
    cards = list(Phrase.objects.filter(source_upgrade__isnull=False).values_list("text", flat=True))
    conversation.refresh_from_db()
    return rows, cards, conversation.upgrades


async def test_an_upgrade_reaches_the_page_and_is_stored_once_on_its_turn(
    seeded_emulator: Emulator, alice: User
) -> None:
    conversation = await start_conversation(alice, topic=await _paying_topic())
    lines = [spanish_48k("Quiero pagar"), spanish_48k("La cuenta")]
    client = await converse(conversation, lines, user=alice)
    learner = [e for e in client.events if e["type"] == "transcript" and e["final"]]
    learner = [e for e in learner if e["speaker"] == "learner" and not e["amends"]]
    first = learner[0]["turn"]
    [frame] = [e for e in client.events if e["type"] == "upgrade"]
    assert (frame["turn"], frame["original"], frame["upgraded"]) == (first, PHRASES[0], BETTER)
    assert ["Quiero", True] in frame["diff"]["said"]
    assert [e["turn"] for e in client.events if e["type"] == "correction"] == [learner[1]["turn"]]
    rows, cards, total = await _stored(conversation)
    assert rows == [(first, PHRASES[0], BETTER)]
    assert cards == [BETTER]
    assert total == 1


@pytest.mark.asyncio
async def test_the_typed_fallback_stores_and_returns_an_upgrade(
    typed_emulator: Emulator,  # noqa: F811
    alice: User,
    async_client: Any,
) -> None:
    conversation = await start_conversation(alice)
    await async_client.aforce_login(alice)
    response = await async_client.post(
        reverse("tutor:message", args=[conversation.pk]),
        {"text": "Gracias."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    [upgrade] = data["upgrades"]
    assert upgrade["turn"] == data["learner"]["turn"]
    assert upgrade["upgraded"] == "Muchas gracias, muy amable."
    assert data["corrections"] == []
    rows, cards, total = await _stored(conversation)
    assert rows == [(data["learner"]["turn"], "Gracias.", "Muchas gracias, muy amable.")]
    assert (cards, total) == (["Muchas gracias, muy amable."], 1)
