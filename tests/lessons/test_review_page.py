"""The review page of one conversation: transcript, inline corrections, phrases, comments,
summary, permissions and the "practise again" form."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from lessons.models import Conversation, Phrase, Turn
from lessons.selectors.counts import counts_of
from lessons.services import conversations as services
from tests.lessons.learner_data import make_comment, make_conversation, make_phrase, make_topic

pytestmark = pytest.mark.django_db


def _url(conversation: Conversation) -> str:
    return reverse("learn:conversation_review", args=[conversation.pk])


@pytest.fixture
def cafe(alice: User) -> Conversation:
    return make_conversation(
        alice,
        topic=make_topic("En el café"),
        minutes=5,
        learner_seconds=60,
        tutor_seconds=90,
        corrections=[
            (1, "Yo quiero comer una tortilla", "Quiero comer una tortilla", "grammar"),
            (3, "Ayer yo voy al mercado", "Ayer fui al mercado", "grammar"),
            (3, "mercado", "supermercado", "vocabulary"),
        ],
    )


def test_it_shows_the_transcript_as_turns_learner_and_tutor_apart(
    client: Client, alice: User, cafe: Conversation
) -> None:
    client.force_login(alice)
    response = client.get(_url(cafe))
    assert response.status_code == 200
    speakers = [item.turn.speaker for item in response.context["turns"]]
    assert speakers == ["tutor", "learner", "tutor", "learner"]
    body = response.content.decode()
    assert body.count('class="turn turn-learner"') == 2
    assert body.count('class="turn turn-tutor"') == 2
    assert body.index("¿Qué quieres comer hoy?") < body.index("¿Algo más?")


def test_each_correction_sits_on_its_own_turn_with_the_changed_words_marked(
    client: Client, alice: User, cafe: Conversation
) -> None:
    client.force_login(alice)
    turns = client.get(_url(cafe)).context["turns"]
    assert [len(item.corrections) for item in turns] == [0, 1, 0, 2]
    body = client.get(_url(cafe)).content.decode()
    assert "<del>Yo quiero</del>" in body
    assert "<ins>Quiero</ins>" in body
    assert "<del>yo voy</del>" in body
    assert "<ins>fui</ins>" in body
    assert "said_label" not in body  # the partial's own comment stays out of the page
    assert "Better: Ayer fui al mercado" in body  # the explanation
    # In the transcript (the summary above it repeats some corrections), the first correction
    # comes after the turn it belongs to and before the next turn.
    transcript = body[body.index('id="transcript-heading"') :]
    assert transcript.index("Yo quiero comer una tortilla y") < transcript.index(
        "<del>Yo quiero</del>"
    )
    assert transcript.index("<del>Yo quiero</del>") < transcript.index("¿Algo más?")


def test_the_summary_gives_minutes_pace_share_and_corrections_by_kind(
    client: Client, alice: User, cafe: Conversation
) -> None:
    client.force_login(alice)
    response = client.get(_url(cafe))
    figures = response.context["figures"]
    # Learner words: 10 + 8 = 18 in 60 s of speech.
    assert figures.learner_words == 18
    assert figures.words_per_minute == pytest.approx(18)
    assert figures.talk_share == pytest.approx(0.4)
    assert response.context["by_kind"] == [("Grammar", 2), ("Vocabulary", 1)]
    body = response.content.decode()
    assert "5 min" in body
    assert "40%" in body
    assert "2 grammar, 1 vocabulary" in body


def test_it_lists_the_phrases_collected_in_the_conversation(
    client: Client, alice: User, cafe: Conversation
) -> None:
    make_phrase(alice, "¿Me trae la cuenta?", conversation=cafe)
    make_phrase(alice, "hasta luego")  # from nowhere in particular: not listed
    client.force_login(alice)
    texts = [item.phrase.text for item in client.get(_url(cafe)).context["phrases"]]
    assert "¿Me trae la cuenta?" in texts
    assert "Ayer fui al mercado" in texts  # born from a correction
    assert "hasta luego" not in texts


def test_teacher_comments_appear_on_their_turn_or_below(
    client: Client, alice: User, bob: User, cafe: Conversation
) -> None:
    turn = Turn.objects.get(conversation=cafe, ordinal=3)
    make_comment(cafe, bob, "Watch the past tense here.", turn=turn)
    make_comment(cafe, bob, "Great effort overall!")
    client.force_login(alice)
    response = client.get(_url(cafe))
    assert [c.text for c in response.context["turns"][3].comments] == ["Watch the past tense here."]
    assert [c.text for c in response.context["general_comments"]] == ["Great effort overall!"]
    assert "Your teacher's comments" in response.content.decode()


def test_without_comments_there_is_no_comment_section(
    client: Client, alice: User, cafe: Conversation
) -> None:
    client.force_login(alice)
    assert "teacher's comments" not in client.get(_url(cafe)).content.decode()


def test_the_transcript_is_escaped(client: Client, alice: User) -> None:
    conversation = make_conversation(alice, turns=[("learner", "<img src=x onerror=alert(1)>")])
    client.force_login(alice)
    body = client.get(_url(conversation)).content.decode()
    assert "<img src=x" not in body
    assert "&lt;img src=x" in body


def test_charlie_cannot_open_alices_conversation(
    client: Client, charlie: User, cafe: Conversation
) -> None:
    client.force_login(charlie)
    assert client.get(_url(cafe)).status_code == 404


def test_her_teacher_gets_no_learner_review_page_either(
    client: Client, bob: User, cafe: Conversation
) -> None:
    client.force_login(bob)
    assert client.get(_url(cafe)).status_code == 404


def test_a_trial_conversation_is_nobodys(client: Client, alice: User) -> None:
    trial = make_conversation(None)
    client.force_login(alice)
    assert client.get(_url(trial)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, cafe: Conversation) -> None:
    response = client.get(_url(cafe))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_practise_again_posts_the_topic_to_the_tutor(
    client: Client, alice: User, cafe: Conversation
) -> None:
    client.force_login(alice)
    body = client.get(_url(cafe)).content.decode()
    assert f'action="{reverse("tutor:start")}"' in body
    assert f'name="topic" value="{cafe.topic_id}"' in body
    assert "Practise again" in body


def test_a_conversation_without_topic_offers_no_practise_again(client: Client, alice: User) -> None:
    conversation = make_conversation(alice)
    client.force_login(alice)
    assert "Practise again" not in client.get(_url(conversation)).content.decode()


def test_the_query_count_does_not_grow_with_the_transcript(
    client: Client, alice: User, bob: User, django_assert_max_num_queries: Callable[..., object]
) -> None:
    short = make_conversation(alice, corrections=[(1, "Yo quiero", "Quiero", "grammar")])
    make_comment(short, bob, "Bien.")
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        client.get(_url(short))
    turns = [("learner", f"Frase número {i}") for i in range(40)]
    long = make_conversation(
        alice, turns=turns, corrections=[(i, "x", "y", "grammar") for i in range(30)]
    )
    for turn in Turn.objects.filter(conversation=long)[:10]:
        make_comment(long, bob, "Bien.", turn=turn)
    with django_assert_max_num_queries(len(captured)):  # type: ignore[operator]
        client.get(_url(long))


def test_the_practise_again_form_starts_a_conversation_on_the_same_topic(
    client: Client, alice: User, cafe: Conversation
) -> None:
    client.force_login(alice)
    client.post(reverse("tutor:start"), {"topic": cafe.topic_id})
    newest = Conversation.objects.owned_by(alice).order_by("-started_at").first()
    assert newest is not None
    assert newest.pk != cafe.pk
    assert newest.topic_id == cafe.topic_id


def _said_again(learner: User) -> tuple[Conversation, Conversation]:
    """Two conversations through the conversation service: the second one's corrections and
    phrase give texts the first one already made cards of (the deck keeps one card each)."""
    first = services.conversation_start(learner=learner)
    second = services.conversation_start(learner=learner)
    for conversation in (first, second):
        turn = services.conversation_record_turn(
            conversation_id=conversation.pk, speaker="learner", text="Yo soy cansado hoy"
        )
        services.conversation_record_correction(
            turn_id=turn.pk,
            original="Yo soy cansado",
            corrected="Estoy cansado",
            explanation="estar for states",
            kind="grammar",
        )
        services.conversation_record_phrase(
            conversation_id=conversation.pk, text="estar cansado", translation="to be tired"
        )
    return first, second


def test_cards_noted_again_still_belong_to_the_later_conversations_record(
    client: Client, alice: User
) -> None:
    """The header said "Corrections 1" while the sidebar said nothing was noted, because the
    cards had been made by an earlier conversation."""
    first, second = _said_again(alice)
    assert Phrase.objects.filter(learner=alice).count() == 2
    client.force_login(alice)
    response = client.get(_url(second))
    figures = response.context["figures"]
    assert (figures.corrections, figures.phrases) == (1, 2)
    noted = response.context["phrases"]
    assert sorted(item.phrase.text for item in noted) == ["Estoy cansado", "estar cansado"]
    assert all(item.earlier for item in noted)
    body = response.content.decode()
    assert "No phrases or corrections were noted" not in body
    assert body.count("already in your deck") == 2
    first_page = client.get(_url(first))
    assert not any(item.earlier for item in first_page.context["phrases"])
    assert "already in your deck" not in first_page.content.decode()


def test_every_page_gives_a_conversation_the_same_counts(
    client: Client, alice: User, bob: User
) -> None:
    _, second = _said_again(alice)
    client.force_login(alice)
    review = client.get(_url(second)).context["figures"]
    history = client.get(reverse("learn:history")).context["rows"]
    listed = next(figures for conversation, figures, _ in history if conversation.pk == second.pk)
    assert (listed.corrections, listed.phrases) == (review.corrections, review.phrases) == (1, 2)
    assert counts_of(second) == (1, 2)
