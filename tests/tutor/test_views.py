"""Starting conversations over HTTP, the trial, the page, and the typed fallback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User
from lessons.models import Conversation, Correction, Phrase, Topic, Turn
from lessons.selectors.counts import counts_of
from tests.base import PASSWORD, make_topic
from tests.tutor.typed import post_line, typing_in
from tutor import typed_fallback
from tutor.emulator import Emulator, text_tools
from tutor.emulator.behaviour import Behaviour
from tutor.live import upstream

pytestmark = pytest.mark.django_db(transaction=True)


def _topic() -> Topic:
    return make_topic(target_phrases=["¿Cuánto es?"])


def test_a_learner_starts_a_topic_and_lands_on_its_page(client: Client, alice: User) -> None:
    client.force_login(alice)
    topic = _topic()
    response = client.post(reverse("tutor:start"), {"topic": topic.pk})
    conversation = Conversation.objects.get(learner=alice)
    assert response["Location"] == conversation.get_absolute_url()
    page = client.get(conversation.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "En el café" in body and "conversation-config" in body
    assert "Offline demo tutor" in body


def test_the_page_ticks_target_phrases_already_used(client: Client, alice: User) -> None:
    client.force_login(alice)
    topic = _topic()
    topic.target_phrases = ["¿Cuánto es?", "la cuenta"]
    topic.save()
    client.post(reverse("tutor:start"), {"topic": topic.pk})
    conversation = Conversation.objects.get(learner=alice)
    Turn.objects.create(conversation=conversation, ordinal=0, speaker="tutor", text="Hola")
    # Inflected and unpunctuated: the server's phrase rule, as on the teacher's evidence page.
    Turn.objects.create(conversation=conversation, ordinal=1, speaker="learner", text="cuanto es")
    body = client.get(conversation.get_absolute_url()).content.decode()
    assert 'id="targets-count">1 of 2<' in body
    assert body.count('class="target used"') == 1
    assert "— used</span>" in body and "— not used yet</span>" in body


def test_free_talk_needs_no_topic(client: Client, alice: User) -> None:
    client.force_login(alice)
    client.post(reverse("tutor:start"))
    assert Conversation.objects.get(learner=alice).topic is None


def test_starting_needs_sign_in_and_post(client: Client, alice: User) -> None:
    assert client.post(reverse("tutor:start"))["Location"].startswith(reverse("account_login"))
    client.force_login(alice)
    assert client.get(reverse("tutor:start")).status_code == 405


def test_charlie_cannot_open_alices_conversation(
    client: Client, alice: User, charlie: User
) -> None:
    conversation = Conversation.objects.create(learner=alice, language="es", level="A2")
    client.force_login(charlie)
    assert client.get(conversation.get_absolute_url()).status_code == 404
    assert client.post(reverse("tutor:end", args=[conversation.pk])).status_code == 404
    reply = client.post(reverse("tutor:message", args=[conversation.pk]), {"text": "hola"})
    assert reply.status_code == 404
    assert not Turn.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_for_a_learners_page(
    client: Client, alice: User
) -> None:
    conversation = Conversation.objects.create(learner=alice, language="es", level="A2")
    response = client.get(conversation.get_absolute_url())
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.smoke
def test_a_visitor_gets_one_trial_then_is_asked_to_sign_up(client: Client) -> None:
    response = client.post(reverse("tutor:trial"), {"language": "fr"})
    trial = Conversation.objects.get()
    assert response["Location"] == trial.get_absolute_url()
    assert trial.is_trial and trial.language == "fr"
    assert client.get(trial.get_absolute_url()).status_code == 200
    again = client.post(reverse("tutor:trial"), {"language": "fr"}, follow=True)
    assert again.redirect_chain[-1][0] == reverse("account_signup")
    assert "used your free minute" in again.content.decode()
    assert Conversation.objects.count() == 1


def test_another_browser_cannot_open_my_trial(client: Client) -> None:
    client.post(reverse("tutor:trial"))
    trial = Conversation.objects.get()
    assert Client().get(trial.get_absolute_url()).status_code == 404


def test_signing_up_after_the_trial_keeps_it(client: Client) -> None:
    client.post(reverse("tutor:trial"), {"language": "es"})
    trial = Conversation.objects.get()
    turn = Turn.objects.create(
        conversation=trial, ordinal=0, speaker="learner", text="Yo soy cansado"
    )
    trial.turns.first().corrections.create(
        original="soy", corrected="Estoy cansado", kind="grammar"
    )
    client.post(reverse("tutor:end", args=[trial.pk]))
    client.post(
        reverse("account_signup"),
        {"email": "dana@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    dana = User.objects.get(email="dana@example.org")
    trial.refresh_from_db()
    assert trial.learner == dana
    assert Phrase.objects.get(learner=dana).source_turn == turn


def test_ending_sends_a_learner_to_the_review(client: Client, alice: User) -> None:
    client.force_login(alice)
    conversation = Conversation.objects.create(learner=alice, language="es", level="A2")
    response = client.post(reverse("tutor:end", args=[conversation.pk]))
    conversation.refresh_from_db()
    assert conversation.status == "ended"
    assert str(conversation.pk) in response["Location"]
    # An ended conversation's page leads to the same place.
    assert client.get(conversation.get_absolute_url())["Location"] == response["Location"]


@pytest.mark.smoke
@pytest.mark.asyncio
async def test_the_typed_fallback_answers_and_stores_typed_turns(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    conversation = await typing_in(async_client, alice)
    response = await post_line(async_client, conversation, "Yo soy cansado hoy")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["learner"] == {"turn": 0, "text": "Yo soy cansado hoy"}
    assert data["tutor"]["turn"] == 1 and data["tutor"]["text"]
    rows = await database_sync_to_async(
        lambda: list(
            Turn.objects.filter(conversation=conversation).values_list("speaker", "source")
        )
    )()
    assert rows == [("learner", "typed"), ("tutor", "typed")]
    assert data["targets"] == []  # free talk: no target phrases


@pytest.mark.asyncio
async def test_the_typed_fallback_says_which_target_phrases_a_line_used(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    topic = await database_sync_to_async(_topic)()
    conversation = await typing_in(async_client, alice, topic=topic)
    response = await post_line(async_client, conversation, "Perdone, ¿cuánto es todo?")
    assert response.status_code == 200, response.content
    assert response.json()["targets"] == [0]
    response = await post_line(async_client, conversation, "Gracias")
    assert response.json()["targets"] == []


@pytest.mark.asyncio
@pytest.mark.parametrize("text", ["", "   ", "x" * 1001])
async def test_the_typed_fallback_refuses_empty_or_huge_messages(
    alice: User, async_client: Any, text: str
) -> None:
    conversation = await typing_in(async_client, alice)
    response = await post_line(async_client, conversation, text)
    assert response.status_code == 400
    assert not await database_sync_to_async(Turn.objects.exists)()


def _typed_seed(words_wait: bool) -> int:
    return next(
        s
        for s in range(100)
        if text_tools.words_wait(s, False, ["Yo soy cansado hoy"]) == words_wait
    )


@pytest.fixture(
    params=["orderly", "words-wait", "words-with-calls"],
)
async def typed_emulator(request: pytest.FixtureRequest) -> AsyncIterator[Emulator]:
    """The text endpoint answering with the calls and the words together (orderly, and a seed
    that does so), or with the calls alone first (a seed whose words wait for the results)."""
    if request.param == "orderly":
        behaviour = Behaviour(orderly=True)
    else:
        behaviour = Behaviour(seed=_typed_seed(request.param == "words-wait"))
    async with Emulator(pace=0, behaviour=behaviour) as emu:
        with override_settings(
            GOOGLE_GEMINI_BASE_URL=emu.base_url, GEMINI_CA_FILE=emu.ca_file, GEMINI_API_KEY=""
        ):
            upstream.client.cache_clear()
            yield emu
    upstream.client.cache_clear()


@pytest.mark.asyncio
async def test_the_typed_fallback_stores_the_tutors_corrections_and_phrases(
    typed_emulator: Emulator, alice: User, async_client
) -> None:
    """The tutor's typed reply recast an error, yet nothing was stored: the text model now has
    the voice session's tools, and its calls go through the same services."""
    from channels.db import database_sync_to_async

    conversation = await database_sync_to_async(Conversation.objects.create)(
        learner=alice, language="es", level="A2"
    )
    await async_client.aforce_login(alice)
    response = await async_client.post(
        reverse("tutor:message", args=[conversation.pk]),
        {"text": "Yo soy cansado hoy"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    [correction] = data["corrections"]
    assert correction["turn"] == data["learner"]["turn"] == 0
    assert correction["corrected"] == "Yo estoy cansado hoy"
    assert ["soy", True] in correction["diff"]["said"]
    assert data["phrases"] == [{"text": "estar cansado", "translation": "to be tired"}]

    def stored() -> tuple[list[tuple[int, str]], set[str], tuple[int, int]]:
        corrections = list(
            Correction.objects.filter(turn__conversation=conversation).values_list(
                "turn__ordinal", "corrected"
            )
        )
        cards = set(Phrase.objects.filter(learner=alice).values_list("text", flat=True))
        return corrections, cards, counts_of(conversation)

    corrections, cards, counts = await database_sync_to_async(stored)()
    assert corrections == [(0, "Yo estoy cansado hoy")]
    assert cards == {"Yo estoy cansado hoy", "estar cansado"}
    assert counts == (1, 2)


def test_the_typed_and_the_spoken_tutor_get_the_same_instruction(alice: User) -> None:
    """One prompt builder: what the voice session is told about the learner (their name, how
    to address them), the typed fallback is told too."""
    alice.display_name = "Alicia"
    alice.save()
    conversation = Conversation.objects.create(learner=alice, language="es", level="A2")
    typed = upstream.system_instruction(typed_fallback._load_for_text(conversation.pk))
    assert typed == upstream.live_settings(conversation).system_instruction
    assert "Alicia" in typed
    assert "gender" in typed


@pytest.mark.parametrize(("style", "explained"), [("recast", False), ("explain", True)])
def test_a_reloaded_page_draws_corrections_with_the_word_diff_and_the_style(
    client: Client, alice: User, style: str, explained: bool
) -> None:
    conversation = Conversation.objects.create(
        learner=alice, language="es", level="A2", correction_style=style
    )
    turn = Turn.objects.create(
        conversation=conversation, ordinal=0, speaker="learner", text="Yo soy cansado"
    )
    Correction.objects.create(
        turn=turn, original="Yo soy cansado", corrected="Yo estoy cansado", explanation="estar"
    )
    client.force_login(alice)
    body = client.get(conversation.get_absolute_url()).content.decode()
    assert "data-diff=" in body and "[&quot;soy&quot;, true]" in body
    assert ('class="correction-why"' in body) is explained
