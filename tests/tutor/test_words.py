"""Tap a word (tutor/words.py): explained through the real SDK by the emulator, cached per
language, word and native language, limited, recorded on its line, and added to the deck."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from lessons.models import Conversation, Phrase, WordEntry, WordLookup
from tests.base import make_user
from tests.fakes import FakeLiveClient
from tests.lessons.learner_data import make_conversation
from tutor.conversation.access import TRIAL_SESSION_KEY
from tutor.emulator import Emulator
from tutor.live import upstream

pytestmark = pytest.mark.django_db(transaction=True)

GREETING = "Tutor de demostración: no entiendo lo que dices. ¡Hola, Alice! ¿Cómo estás hoy?"
TURNS = [("tutor", GREETING), ("learner", "Estoy cansado, aunque bien.")]


@pytest.fixture(autouse=True)
async def _close_view_connections() -> Any:
    """The async views query from asgiref's thread; close its connection so the test
    database can be dropped at the end."""
    yield
    await database_sync_to_async(connections.close_all)()


@database_sync_to_async
def conversation_of(learner: User | None, **fields: Any) -> Conversation:
    return make_conversation(learner, turns=TURNS, **fields)


async def tap(client: Any, conversation: Conversation, word: str, **body: Any) -> Any:
    body.setdefault("sentence", GREETING)
    body.setdefault("turn", 0)
    url = reverse("tutor:word_lookup", args=[conversation.pk])
    return await client.post(url, {"word": word, **body}, content_type="application/json")


@database_sync_to_async
def lookups() -> list[tuple[int | None, str, str | None]]:
    rows = WordLookup.objects.select_related("turn", "entry").order_by("id")
    return [(r.turn.ordinal if r.turn else None, r.word, r.entry and r.entry.lemma) for r in rows]


async def test_a_word_is_explained_and_recorded_on_its_line(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    conversation = await conversation_of(alice)
    await async_client.aforce_login(alice)
    response = await tap(async_client, conversation, "estás")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["lemma"], data["pos"], data["cached"], data["inDeck"]) == (
        "estar",
        "verb",
        False,
        False,
    )
    assert "you are" in data["meaning"] and data["example"]
    assert data["addUrl"] and data["signupUrl"] is None
    assert await lookups() == [(0, "estás", "estar")]
    assert emulator.text_requests == 1


async def test_a_second_learner_tapping_the_same_word_costs_no_model_call(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    dana = await database_sync_to_async(make_user)("dana@example.org")
    first, second = await conversation_of(alice), await conversation_of(dana)
    await async_client.aforce_login(alice)
    assert (await tap(async_client, first, "Cómo")).json()["cached"] is False
    await async_client.aforce_login(dana)
    data = (await tap(async_client, second, "cómo")).json()  # the same word, other case
    assert (data["lemma"], data["cached"]) == ("cómo", True)
    assert emulator.text_requests == 1
    assert await database_sync_to_async(WordEntry.objects.count)() == 1
    # Another native language is another explanation.
    await database_sync_to_async(User.objects.filter(pk=dana.pk).update)(native_language="pl")
    assert (await tap(async_client, second, "cómo")).json()["cached"] is False
    assert emulator.text_requests == 2


async def test_taps_arriving_together_share_one_call(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    conversation = await conversation_of(alice)
    await async_client.aforce_login(alice)
    responses = await asyncio.gather(*(tap(async_client, conversation, "hoy") for _ in range(3)))
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert {r.json()["lemma"] for r in responses} == {"hoy"}
    assert emulator.text_requests == 1
    assert len(await lookups()) == 3  # each tap counted and recorded


async def test_a_word_the_demo_does_not_know_still_gets_an_answer_of_the_right_shape(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    conversation = await conversation_of(alice)
    await async_client.aforce_login(alice)
    data = (await tap(async_client, conversation, "Tutor")).json()
    assert (data["lemma"], data["pos"], data["example"]) == ("Tutor", "other", GREETING)
    assert "no dictionary entry" in data["meaning"]


@pytest.mark.parametrize(
    ("word", "sentence"),
    [
        ("no entiendo", GREETING),  # two words
        ("mañana", GREETING),  # not in the line
        ("", GREETING),
        ("42", "Tengo 42 años."),
        ("x" * 41, "x" * 41),
    ],
    ids=["phrase", "elsewhere", "empty", "number", "long"],
)
async def test_anything_but_one_word_of_the_line_is_refused(
    emulator: Emulator, alice: User, async_client: Any, word: str, sentence: str
) -> None:
    conversation = await conversation_of(alice)
    await async_client.aforce_login(alice)
    response = await tap(async_client, conversation, word, sentence=sentence)
    assert response.status_code == 400
    assert response.json()["message"] == "Pick one word of the line to look it up."
    assert emulator.text_requests == 0 and await lookups() == []


async def test_japanese_words_pass_and_a_japanese_sentence_does_not(
    emulator: Emulator, async_client: Any, personas: Any
) -> None:
    kenji = await database_sync_to_async(make_user)("kenji@example.org", target_language="ja")
    line = "デモの講師です。今日は元気ですか？"
    conversation = await database_sync_to_async(make_conversation)(
        kenji, language="ja", turns=[("tutor", line)]
    )
    await async_client.aforce_login(kenji)
    data = (await tap(async_client, conversation, "元気", sentence=line)).json()
    assert (data["lemma"], data["pos"]) == ("元気", "adjective")
    refused = await tap(async_client, conversation, "今日は元気ですか", sentence=line)
    assert refused.status_code == 400


@override_settings(WORD_LOOKUPS_PER_HOUR=2)
async def test_the_hourly_limit_gives_a_clear_message(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    conversation = await conversation_of(alice)
    await async_client.aforce_login(alice)
    for word in ("hoy", "hoy"):
        assert (await tap(async_client, conversation, word)).status_code == 200
    response = await tap(async_client, conversation, "cómo")
    assert response.status_code == 429
    assert "looked up a lot of words in the last hour" in response.json()["message"]
    assert emulator.text_requests == 1


@override_settings(WORD_LOOKUPS_PER_IP_PER_HOUR=1)
async def test_the_per_address_limit(emulator: Emulator, alice: User, async_client: Any) -> None:
    conversation = await conversation_of(alice)
    await async_client.aforce_login(alice)
    assert (await tap(async_client, conversation, "hoy")).status_code == 200
    response = await tap(async_client, conversation, "hoy")
    assert response.status_code == 429
    assert "from your network" in response.json()["message"]


@override_settings(WORD_LOOKUPS_PER_TRIAL=2)
async def test_a_trial_may_look_up_a_few_words_and_is_offered_sign_up_for_the_deck(
    emulator: Emulator, async_client: Any, db: None
) -> None:
    trial = await conversation_of(None, language="es")
    await database_sync_to_async(Conversation.objects.filter(pk=trial.pk).update)(
        status=Conversation.Status.ACTIVE, ended_at=None
    )
    session = await async_client.asession()
    session[TRIAL_SESSION_KEY] = [str(trial.pk)]
    await session.asave()
    data = (await tap(async_client, trial, "hoy")).json()
    assert (data["lemma"], data["addUrl"], data["signupUrl"]) == ("hoy", None, "/accounts/signup/")
    url = reverse("tutor:word_to_deck", args=[trial.pk, data["lookup"]])
    refused = await async_client.post(url)
    assert refused.status_code == 403
    assert refused.json()["signupUrl"] == "/accounts/signup/"
    assert (await tap(async_client, trial, "cómo")).status_code == 200
    over = await tap(async_client, trial, "hola", sentence="¡Hola!")
    assert over.status_code == 429 and "free trial" in over.json()["message"]


async def test_someone_elses_conversation_is_not_found_and_signed_out_is_asked_to_sign_in(
    emulator: Emulator, alice: User, charlie: User, async_client: Any
) -> None:
    conversation = await conversation_of(alice)
    assert (await tap(async_client, conversation, "hoy")).status_code == 401
    await async_client.aforce_login(charlie)
    assert (await tap(async_client, conversation, "hoy")).status_code == 404
    assert emulator.text_requests == 0 and await lookups() == []


async def test_the_word_goes_to_the_deck_once(
    emulator: Emulator, alice: User, charlie: User, async_client: Any
) -> None:
    conversation = await conversation_of(alice)
    await async_client.aforce_login(alice)
    data = (await tap(async_client, conversation, "estás")).json()
    first = await async_client.post(data["addUrl"])
    assert first.status_code == 200
    assert first.json()["created"] is True
    assert first.json()["message"] == "Added “estás” to your deck."
    again = await async_client.post(data["addUrl"])
    assert again.json() == {**first.json(), "created": False, "message": again.json()["message"]}
    assert again.json()["message"] == "“estás” is already in your deck."
    card = await database_sync_to_async(Phrase.objects.select_related("source_turn").get)()
    assert (card.learner_id, card.language, card.text, card.source_turn.ordinal) == (
        alice.pk,
        "es",
        "estás",
        0,
    )
    assert "you are" in card.translation
    assert card.note == "estar (verb). Example: Estoy en casa."
    # The next tap on the same word says it is in the deck already.
    assert (await tap(async_client, conversation, "estás")).json()["inDeck"] is True
    # Nobody else can add Alice's lookup to their deck.
    await async_client.aforce_login(charlie)
    assert (await async_client.post(data["addUrl"])).status_code == 404


async def test_a_garbled_model_answer_is_a_clear_error_and_nothing_is_kept(
    alice: User, async_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeLiveClient()
    fake.models.reply = '{"lemma": "estar", "meaning": '  # cut off mid-answer
    monkeypatch.setattr(upstream, "client", lambda: fake)
    conversation = await conversation_of(alice)
    await async_client.aforce_login(alice)
    response = await tap(async_client, conversation, "estás")
    assert response.status_code == 503
    assert response.json() == {
        "error": "bad_answer",
        "message": "The explanation of this word came back garbled. Try again in a moment.",
    }
    assert await database_sync_to_async(WordEntry.objects.count)() == 0
    assert await lookups() == [(0, "estás", None)]  # counted against the limits all the same


async def test_an_unreachable_model_is_a_clear_error(
    alice: User, async_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeLiveClient()
    fake.models.reply = OSError("connection refused")
    monkeypatch.setattr(upstream, "client", lambda: fake)
    conversation = await conversation_of(alice)
    await async_client.aforce_login(alice)
    response = await tap(async_client, conversation, "estás")
    assert response.status_code == 503
    assert response.json()["message"] == (
        "This word cannot be explained right now. Try again in a moment."
    )
