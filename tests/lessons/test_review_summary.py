"""The review page's summary after a conversation (templates/lessons/learner/_summary.html):
goal, target phrases linked to their turns, corrections worth remembering, next time."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import Conversation
from tests.lessons.learner_data import make_conversation, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def pharmacy(alice: User) -> Conversation:
    topic = make_topic(
        "En la farmacia",
        learner_goal="Explain your symptoms and buy something for them.",
        target_phrases=["me duele la cabeza", "¿tiene algo para"],
    )
    turns = [
        ("tutor", "Buenas tardes, ¿qué le pasa?"),
        ("learner", "Hola, me duele la cabeza mucho"),
        ("tutor", "¿Desde cuándo?"),
        ("learner", "Desde ayer. Yo soy cansado también"),
        ("tutor", "Vale. ¿Algo más?"),
        ("learner", "¿Tiene algo para dormir?"),
    ]
    return make_conversation(
        alice,
        topic=topic,
        turns=turns,
        corrections=[(3, "Yo soy cansado", "Estoy cansado", "grammar")],
    )


def _page(client: Client, alice: User, conversation: Conversation) -> str:
    client.force_login(alice)
    url = reverse("learn:conversation_review", args=[conversation.pk])
    return client.get(url).content.decode()


def test_the_summary_says_the_goal_was_met_and_why(
    client: Client, alice: User, pharmacy: Conversation
) -> None:
    body = _page(client, alice, pharmacy)
    assert "After this conversation" in body
    assert "Goal met" in body
    assert "Explain your symptoms and buy something for them." in body
    assert "You used 2 of 2 target phrases in 3 turns of yours." in body
    assert "How is this judged?" in body


def test_each_target_phrase_links_to_the_turn_that_used_it(
    client: Client, alice: User, pharmacy: Conversation
) -> None:
    body = _page(client, alice, pharmacy)
    assert re.search(r'class="count">2 of 2<', body)
    links = re.findall(r'href="#turn-(\d+)" class="turn-link">used here', body)
    assert links == ["1", "5"]
    for ordinal in links:  # every anchor has its turn in the transcript
        assert f'id="turn-{ordinal}"' in body


def test_the_correction_worth_remembering_links_to_its_turn(
    client: Client, alice: User, pharmacy: Conversation
) -> None:
    body = _page(client, alice, pharmacy)
    summary = body[body.index("Worth remembering") : body.index("Next time")]
    assert "<del>Yo soy</del>" in summary and "<ins>Estoy</ins>" in summary
    assert "Grammar: most recent" in summary
    assert 'href="#turn-3"' in summary


def test_a_goal_not_met_offers_the_unused_phrases_and_the_role_play_again(
    client: Client, alice: User
) -> None:
    topic = make_topic("En la farmacia", target_phrases=["me duele la cabeza", "una receta"])
    conversation = make_conversation(
        alice, topic=topic, turns=[("tutor", "¿Qué le pasa?"), ("learner", "Hola")]
    )
    body = _page(client, alice, conversation)
    assert "Not met yet" in body
    assert 'class="count">0 of 2<' in body
    assert 'Try to use: <q lang="es">me duele la cabeza</q>, <q lang="es">una receta</q>.' in body
    assert "Practise this role-play again until the goal is met." in body
    assert f'name="topic" value="{topic.pk}"' in body


def test_free_talk_gets_corrections_and_a_topic_but_no_goal(client: Client, alice: User) -> None:
    make_topic("Un día normal")
    conversation = make_conversation(
        alice, corrections=[(1, "Yo quiero comer", "Quiero comer", "grammar")]
    )
    body = _page(client, alice, conversation)
    assert "The goal" not in body and "Target phrases" not in body
    assert "<ins>Quiero</ins>" in body
    assert "A new topic at your level: <strong>Un día normal</strong>" in body


def test_the_summary_is_escaped(client: Client, alice: User) -> None:
    topic = make_topic("X", learner_goal="<script>alert(1)</script>", target_phrases=["<b>"])
    body = _page(client, alice, make_conversation(alice, topic=topic))
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
