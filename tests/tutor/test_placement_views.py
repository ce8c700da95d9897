"""The spoken placement end to end over HTTP (tutor/placement.py, lessons' placement pages):
started, ended, assessed by the text model (the emulator, through the real SDK), confirmed;
a failing model; and who may see what."""

from __future__ import annotations

import re
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import Conversation, PlacementQuote, PlacementResult, Turn
from lessons.services.conversations import conversation_finish, conversation_record_turn
from lessons.services.placement import MAX_ATTEMPTS, NOTHING_SAID, placement_start
from tests.base import make_user
from tutor.emulator import Emulator
from tutor.emulator.placement import load
from tutor.live import upstream
from tutor.live.placement import ASSESS_UNAVAILABLE

pytestmark = pytest.mark.django_db(transaction=True)

SPANISH = load("es")
ANSWERS = [
    SPANISH.probes["A2"].answer,
    SPANISH.probes["A2"].followup_answer,
    SPANISH.probes["B1"].answer,
    SPANISH.probes["B1"].followup_answer,
]


@pytest.fixture(autouse=True)
async def _close_view_connections() -> Any:
    """The async views query from asgiref's thread; close its connection so the test
    database can be dropped at the end."""
    yield
    await database_sync_to_async(connections.close_all)()


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@database_sync_to_async
def _talked(learner: User, answers: list[str] = ANSWERS) -> PlacementResult:
    """A placement that ran: the tutor's questions, the learner's answers, then ended."""
    result = placement_start(learner=learner)
    conversation = result.conversation
    conversation_record_turn(conversation_id=conversation.pk, speaker="tutor", text="¡Hola!")
    for answer in answers:
        conversation_record_turn(conversation_id=conversation.pk, speaker="learner", text=answer)
        conversation_record_turn(conversation_id=conversation.pk, speaker="tutor", text="Vale.")
    conversation_finish(conversation_id=conversation.pk, reason="learner_ended")
    return result


async def _assess(client: Any, result: PlacementResult) -> Any:
    return await client.post(reverse("tutor:placement_assess", args=[result.pk]))


@database_sync_to_async
def _fresh(result: PlacementResult) -> PlacementResult:
    return PlacementResult.objects.get(pk=result.pk)


@database_sync_to_async
def _quotes(result: PlacementResult) -> list[tuple[str, int, str, str]]:
    quotes = PlacementQuote.objects.filter(skill__result=result).select_related("turn", "skill")
    return [(q.skill.skill, q.turn.ordinal, q.turn.speaker, q.quote) for q in quotes]


def test_starting_a_placement_opens_a_placement_conversation_at_the_declared_level(
    alice: User,
) -> None:
    client = _signed_in(alice)
    response = client.post(reverse("tutor:placement_start"))
    result = PlacementResult.objects.get(learner=alice)
    conversation = result.conversation
    assert response.url == conversation.get_absolute_url()
    assert (conversation.kind, conversation.level, conversation.language) == (
        "placement",
        "A2",
        "es",
    )
    assert (result.status, result.declared_level) == ("pending", "A2")
    page = client.get(response.url).content.decode()
    assert "Find your level" in page and "Finish and see my level" in page
    assert "See my level" in page  # the placement's own close notices
    settings = upstream.live_settings(conversation)
    assert settings.tools == []  # no corrections, no notes
    assert "placement conversation" in settings.system_instruction
    assert settings.opener and "joined the placement" in settings.opener


def test_a_practice_conversation_keeps_its_tools_and_its_words(alice: User) -> None:
    conversation = Conversation.objects.create(learner=alice, language="es", level="A2")
    settings = upstream.live_settings(conversation)
    names = [tool["name"] for tool in settings.tools]
    assert names == ["note_correction", "note_phrase", "note_upgrade"]
    assert "placement" not in settings.system_instruction


def test_ending_a_placement_leads_to_its_result_page_which_asks_for_the_assessment(
    alice: User,
) -> None:
    client = _signed_in(alice)
    client.post(reverse("tutor:placement_start"))
    result = PlacementResult.objects.get(learner=alice)
    ended = client.post(reverse("tutor:end", args=[result.conversation.pk]))
    assert ended.url == reverse("learn:placement_result", args=[result.pk])
    page = client.get(ended.url).content.decode()
    assert "Working out your level" in page
    assert 'id="assess-form" data-auto="1"' in page
    assert reverse("tutor:placement_assess", args=[result.pk]) in page


async def test_the_assessment_is_kept_with_quotes_of_the_learners_own_turns(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    result = await _talked(alice)
    await async_client.aforce_login(alice)
    response = await _assess(async_client, result)
    assert response.url == reverse("learn:placement_result", args=[result.pk])
    done = await _fresh(result)
    assert done.status == "ready" and done.suggested_level in {"A2", "B1", "B2"}
    assert done.attempts == 1 and done.model
    quotes = await _quotes(result)
    assert {skill for skill, *_ in quotes} == {"range", "accuracy", "fluency", "interaction"}
    turns = await database_sync_to_async(
        lambda: {t.ordinal: t.text for t in Turn.objects.filter(conversation=result.conversation)}
    )()
    for _, ordinal, speaker, quote in quotes:
        assert speaker == "learner" and quote in turns[ordinal]
    page = (await async_client.get(response.url)).content.decode()
    assert f"Your level: {done.suggested_level}" in page
    first = quotes[0]
    assert f'href="#turn-{first[1]}"' in page and f'id="turn-{first[1]}"' in page
    for label in ("Range", "Accuracy", "Fluency", "Interaction"):
        assert label in page
    assert "(suggested)" in page
    again = await _assess(async_client, result)  # already assessed: nothing asked again
    assert again.status_code == 302 and (await _fresh(result)).attempts == 1


async def test_a_failing_model_loses_nothing_and_offers_a_retry(
    emulator: Emulator, start_emulator: Any, alice: User, async_client: Any
) -> None:
    result = await _talked(alice)
    await async_client.aforce_login(alice)
    upstream.client()  # the process's client, made while Gemini was there
    await emulator.stop()  # nothing listens on its port any more
    await _assess(async_client, result)
    failed = await _fresh(result)
    assert (failed.status, failed.failure) == ("failed", ASSESS_UNAVAILABLE)
    page = (await async_client.get(reverse("learn:placement_result", args=[result.pk]))).content
    text = page.decode()
    assert ASSESS_UNAVAILABLE.replace("'", "&#x27;") in text and "Try again" in text
    assert 'data-auto="1"' not in text  # a failure is not retried by itself
    assert all(answer in text for answer in ANSWERS)  # the transcript is all there
    await start_emulator()  # Gemini is back
    await _assess(async_client, result)
    assert (await _fresh(result)).status == "ready"


async def test_a_placement_with_nothing_said_is_not_sent_to_the_model(
    alice: User, async_client: Any
) -> None:
    # No emulator: a request would fail differently from the message checked here.
    result = await _talked(alice, answers=[])
    await async_client.aforce_login(alice)
    await _assess(async_client, result)
    failed = await _fresh(result)
    assert (failed.status, failed.failure, failed.attempts) == ("failed", NOTHING_SAID, 0)
    page = (await async_client.get(reverse("learn:placement_result", args=[result.pk]))).content
    assert b"Try again" not in page and b"Start a new placement" in page


async def test_retries_are_bounded(alice: User, async_client: Any) -> None:
    result = await _talked(alice)
    await database_sync_to_async(PlacementResult.objects.filter(pk=result.pk).update)(
        attempts=MAX_ATTEMPTS, status="failed"
    )
    await async_client.aforce_login(alice)
    await _assess(async_client, result)
    assert (await _fresh(result)).attempts == MAX_ATTEMPTS


async def test_an_active_placement_is_not_assessed_yet(alice: User, async_client: Any) -> None:
    result = await database_sync_to_async(placement_start)(learner=alice)
    await async_client.aforce_login(alice)
    response = await _assess(async_client, result)
    assert response.url == result.conversation.get_absolute_url()
    assert (await _fresh(result)).attempts == 0


async def test_the_learner_confirms_a_level_and_the_profile_shows_it(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    result = await _talked(alice)
    await async_client.aforce_login(alice)
    await _assess(async_client, result)
    url = reverse("learn:placement_level", args=[result.pk])
    refused = await async_client.post(url, {"level": "D1"})
    assert refused.status_code == 302
    assert (await database_sync_to_async(User.objects.get)(pk=alice.pk)).level == "A2"
    chosen = await async_client.post(url, {"level": "B2"})
    assert chosen.url == reverse("accounts:profile")
    assert (await database_sync_to_async(User.objects.get)(pk=alice.pk)).level == "B2"
    done = await _fresh(result)
    assert done.confirmed_level == "B2" and done.confirmed_at is not None
    profile = (await async_client.get(chosen.url)).content.decode()
    assert re.search(r'value="B2"[^>]*checked', profile)
    assert "Take the placement again" in profile


def test_only_the_learner_sees_and_acts_on_their_placement(alice: User, charlie: User) -> None:
    result = placement_start(learner=alice)
    conversation_finish(conversation_id=result.conversation.pk, reason="learner_ended")
    other = _signed_in(charlie)
    for name in ("learn:placement_result",):
        assert other.get(reverse(name, args=[result.pk])).status_code == 404
    assert (
        other.post(reverse("learn:placement_level", args=[result.pk]), {"level": "C2"}).status_code
        == 404
    )
    assert other.post(reverse("tutor:placement_assess", args=[result.pk])).status_code == 404
    anonymous = Client().get(reverse("learn:placement_result", args=[result.pk]))
    assert anonymous.status_code == 302 and "login" in anonymous.url


async def test_the_teacher_sees_their_learners_latest_placement_and_no_one_elses(
    emulator: Emulator, personas: Any, async_client: Any
) -> None:
    alice, bob, charlie = personas.alice, personas.bob, personas.charlie
    result = await _talked(alice)
    await async_client.aforce_login(alice)
    await _assess(async_client, result)
    done = await _fresh(result)
    quotes = await _quotes(result)
    classroom = personas.classroom
    teacher = await database_sync_to_async(_signed_in)(bob)
    learner_url = reverse("teach:learner", args=[classroom.pk, alice.pk])
    page = (await database_sync_to_async(teacher.get)(learner_url)).content.decode()
    placement_url = reverse("teach:learner_placement", args=[classroom.pk, alice.pk])
    assert f"suggested <strong>{done.suggested_level}</strong>" in page
    assert f'href="{placement_url}#turn-{quotes[0][1]}"' in page
    full = (await database_sync_to_async(teacher.get)(placement_url)).content.decode()
    assert f'id="turn-{quotes[0][1]}"' in full and ANSWERS[0] in full

    # Another teacher, or a learner not in the classroom: nothing.
    other = await database_sync_to_async(make_user)(
        "dora@example.org", role="teacher", onboarded=True
    )
    stranger = await database_sync_to_async(_signed_in)(other)
    assert (await database_sync_to_async(stranger.get)(placement_url)).status_code == 404
    outsider_url = reverse("teach:learner_placement", args=[classroom.pk, charlie.pk])
    assert (await database_sync_to_async(teacher.get)(outsider_url)).status_code == 404


def test_a_learner_without_a_placement_shows_none_to_the_teacher(personas: Any) -> None:
    teacher = _signed_in(personas.bob)
    url = reverse("teach:learner", args=[personas.classroom.pk, personas.alice.pk])
    assert "has not taken a spoken placement yet" in teacher.get(url).content.decode()
    url = reverse("teach:learner_placement", args=[personas.classroom.pk, personas.alice.pk])
    assert teacher.get(url).status_code == 404


def test_onboarding_offers_the_spoken_placement_next_to_the_list() -> None:
    user = make_user("newbie@example.org", onboarded=False)
    client = _signed_in(user)
    page = client.get(reverse("accounts:onboarding") + "?role=learner").content.decode()
    assert "Find my level by speaking (about 4 minutes)" in page
    response = client.post(
        reverse("accounts:onboarding"),
        {
            "role": "learner",
            "display_name": "Newbie",
            "target_language": "fr",
            "native_language": "en",
            "level": "A2",
            "correction_style": "recast",
            "then": "placement",
        },
    )
    assert response.url == reverse("learn:placement")
    user.refresh_from_db()
    assert user.onboarded and user.target_language == "fr"
    intro = client.get(response.url).content.decode()
    assert "Find your level by speaking" in intro and "Start the placement" in intro


def test_a_placement_is_named_as_such_in_the_history_review_and_export(alice: User) -> None:
    result = placement_start(learner=alice)
    conversation = result.conversation
    conversation_record_turn(conversation_id=conversation.pk, speaker="learner", text="Hola")
    conversation_finish(conversation_id=conversation.pk, reason="learner_ended")
    client = _signed_in(alice)
    assert "Spoken placement" in client.get(reverse("learn:history")).content.decode()
    review = client.get(reverse("learn:conversation_review", args=[conversation.pk]))
    link = reverse("learn:placement_result", args=[result.pk])
    assert f'href="{link}"' in review.content.decode()
    export = client.get(reverse("learn:export_json")).json()
    assert [c["kind"] for c in export["conversations"]] == ["placement"]


def test_a_placement_in_a_language_no_longer_learnt_sets_no_level(alice: User) -> None:
    result = placement_start(learner=alice)
    conversation_finish(conversation_id=result.conversation.pk, reason="learner_ended")
    PlacementResult.objects.filter(pk=result.pk).update(status="ready", suggested_level="B1")
    User.objects.filter(pk=alice.pk).update(target_language="fr")
    client = _signed_in(alice)
    response = client.post(
        reverse("learn:placement_level", args=[result.pk]), {"level": "B1"}, follow=True
    )
    assert "This placement was in Spanish, and you now learn French" in response.content.decode()
    assert User.objects.get(pk=alice.pk).level == "A2"


async def test_typing_in_a_placement_over_http_is_never_corrected(
    emulator: Emulator, alice: User, async_client: Any
) -> None:
    """The typed fallback gets the placement's prompt and no tools: the free-talk script
    would correct "soy cansado"; the placement asks its follow-up."""
    result = await database_sync_to_async(placement_start)(learner=alice)
    await async_client.aforce_login(alice)
    url = reverse("tutor:message", args=[result.conversation.pk])
    reply = await async_client.post(
        url, {"text": "Yo soy cansado hoy, trabajé mucho."}, content_type="application/json"
    )
    data = reply.json()
    assert reply.status_code == 200, data
    assert data["tutor"]["text"] == f"{SPANISH.ack} {SPANISH.probes['A2'].followup}"
    assert (data["corrections"], data["phrases"]) == ([], [])
