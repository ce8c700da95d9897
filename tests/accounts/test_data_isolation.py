"""A learner's export holds only their own data, and deleting one account leaves every other
account's data as it was, including a teacher's (whose classrooms and assignments go too)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import Comment, Conversation, Correction, DrillAttempt, Phrase, Review, Turn
from tests.base import Personas
from tests.lessons.teaching import (
    fast_passwords,  # noqa: F401 (a fixture, used by name)
    make_assignment,
    make_conversation,
    make_topic,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def _life(user: User, marker: str, **fields: object) -> Conversation:
    """A conversation, a correction, a card, a review and a checked answer, each holding
    `marker`."""
    conversation = make_conversation(user, said=[f"{marker} said this"], **fields)  # type: ignore[arg-type]
    turn = conversation.turns.get(speaker="learner")
    correction = Correction.objects.create(
        turn=turn, original=f"{marker} wrong", corrected=f"{marker} right", kind="grammar"
    )
    phrase = Phrase.objects.create(
        learner=user, language="es", text=f"{marker} card", source_correction=correction
    )
    Review.objects.create(phrase=phrase, rating=3)
    DrillAttempt.objects.create(learner=user, phrase=phrase, mode="spoken", heard=f"{marker} heard")
    return conversation


def _holdings(user: User) -> dict[str, int]:
    return {
        "conversations": Conversation.objects.filter(learner=user).count(),
        "turns": Turn.objects.filter(conversation__learner=user).count(),
        "corrections": Correction.objects.filter(turn__conversation__learner=user).count(),
        "phrases": Phrase.objects.filter(learner=user).count(),
        "reviews": Review.objects.filter(phrase__learner=user).count(),
        "attempts": DrillAttempt.objects.filter(learner=user).count(),
    }


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _delete(user: User) -> None:
    response = _login(user).post(reverse("accounts:delete"), {"confirm": "DELETE"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


def test_alices_exports_hold_none_of_charlies_data(personas: Personas) -> None:
    _life(personas.alice, "ALICE-OWN")
    _life(personas.charlie, "CHARLIE-OWN")
    client = _login(personas.alice)
    as_json = client.get(reverse("learn:export_json")).content.decode()
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("learn:export_csv")).content))
    as_csv = "".join(archive.read(name).decode() for name in archive.namelist())
    for export in (as_json, as_csv):
        assert "ALICE-OWN said this" in export and "ALICE-OWN card" in export
        assert "ALICE-OWN heard" in export
        assert "CHARLIE-OWN" not in export
        assert "charlie" not in export.lower()


def test_deleting_charlie_leaves_alices_data_intact(personas: Personas) -> None:
    _life(personas.alice, "ALICE-OWN")
    _life(personas.charlie, "CHARLIE-OWN")
    before = _holdings(personas.alice)
    _delete(personas.charlie)
    assert _holdings(personas.alice) == before
    assert not Turn.objects.filter(text__contains="CHARLIE-OWN").exists()
    assert not Phrase.objects.filter(text__contains="CHARLIE-OWN").exists()


def test_deleting_alice_takes_all_of_hers_and_nothing_of_charlies(personas: Personas) -> None:
    alice_id = personas.alice.pk
    _life(personas.alice, "ALICE-OWN")
    _life(personas.charlie, "CHARLIE-OWN")
    before = _holdings(personas.charlie)
    _delete(personas.alice)
    assert not Conversation.objects.filter(learner_id=alice_id).exists()
    assert not Turn.objects.filter(text__contains="ALICE-OWN").exists()
    assert not Correction.objects.filter(original__contains="ALICE-OWN").exists()
    assert not Phrase.objects.filter(learner_id=alice_id).exists()
    assert _holdings(personas.charlie) == before


def test_a_teacher_whose_topic_is_assigned_can_delete_their_account(personas: Personas) -> None:
    """Regression: Assignment.topic was PROTECT, so deleting bob (whose own topic was assigned
    in his own classroom) raised ProtectedError, a 500."""
    assignment = make_assignment(personas.classroom, make_topic(author=personas.bob, slug="own"))
    homework = _life(personas.alice, "ALICE-OWN", assignment=assignment)
    Comment.objects.create(conversation=homework, author=personas.bob, text="¡Bien!")
    before = _holdings(personas.alice)
    _delete(personas.bob)
    homework.refresh_from_db()
    assert homework.assignment is None  # alice keeps her practice; bob's classroom is gone
    assert _holdings(personas.alice) == before
    assert not Comment.objects.exists()
