"""The issue's "done when", end to end through the conversation service the live tutor uses:
after a conversation a learner finds it, reads it with its corrections, reviews its cards the
next day, and sees the progress figures move."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from lessons.models import Phrase, Review
from lessons.services import conversations as service
from lessons.services.deck import phrase_grade
from tests.lessons.learner_data import make_topic

pytestmark = pytest.mark.django_db


def _talk(learner: User) -> str:
    """One conversation as the live runtime records it; returns its id."""
    conversation = service.conversation_start(learner=learner, topic=make_topic("En el café"))
    cid = conversation.pk
    service.conversation_record_turn(conversation_id=cid, speaker="tutor", text="¿Qué tomas?")
    said = service.conversation_record_turn(
        conversation_id=cid,
        speaker="learner",
        text="Ayer yo como paella y hoy quiero un café",
        started_ms=3000,
        ended_ms=7000,
    )
    service.conversation_record_correction(
        turn_id=said.pk,
        original="Ayer yo como paella",
        corrected="Ayer comí paella",
        explanation="Preterite for a finished past action.",
        kind="grammar",
    )
    service.conversation_record_phrase(
        conversation_id=cid, text="¿Me trae la cuenta?", translation="Could I have the bill?"
    )
    service.conversation_finish(
        conversation_id=cid,
        reason="learner_ended",
        stats=service.FinishStats(learner_seconds=60, tutor_seconds=90),
    )
    return str(cid)


def _minutes_today(client: Client) -> float:
    body = client.get(reverse("learn:progress")).content.decode()
    found = re.search(r'<script id="progress-data" type="application/json">(.*?)</script>', body)
    assert found
    return json.loads(found.group(1))["days"]["minutes"][-1]


@pytest.mark.smoke
def test_a_learner_finds_reads_reviews_and_sees_progress(client: Client, alice: User) -> None:
    client.force_login(alice)
    before = _minutes_today(client)
    cid = _talk(alice)

    found = client.get(reverse("learn:history"), {"q": "paella"})
    assert [str(c.pk) for c, _, _ in found.context["rows"]] == [cid]

    review = client.get(reverse("learn:conversation_review", args=[cid])).content.decode()
    assert "<del>yo como</del>" in review
    assert "<ins>comí</ins>" in review
    assert "¿Me trae la cuenta?" in review

    # Both cards are new today; grade them as if it had been yesterday.
    yesterday = timezone.now() - timedelta(days=1)
    for phrase in Phrase.objects.filter(learner=alice):
        phrase_grade(learner=alice, phrase_id=phrase.pk, rating=3, now=yesterday)
    deck = client.get(reverse("learn:deck"))
    assert deck.context["card"] is not None
    assert deck.context["summary"]["due_now"] == 2
    card = deck.context["card"]
    client.post(reverse("learn:deck_grade"), {"phrase": card.pk, "rating": 4, "reps": card.reps})
    assert Review.objects.filter(phrase=card).count() == 2

    assert _minutes_today(client) == pytest.approx(before + 1)
