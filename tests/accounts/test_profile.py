from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import Conversation, Turn
from tests.base import Personas

pytestmark = pytest.mark.django_db

# Alice's profile form, complete and valid.
PROFILE = {
    "display_name": "Alicia",
    "native_language": "en",
    "target_language": "es",
    "level": "B2",
    "correction_style": "none",
    "role": "learner",
}


def _save_profile(client: Client, **changes: str) -> HttpResponse:
    """Post the profile form: PROFILE with `changes` applied."""
    return client.post(reverse("accounts:profile"), {**PROFILE, **changes})


def test_it_changes_level_and_correction_style(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = _save_profile(client)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.level, alice.correction_style) == ("Alicia", "B2", "none")


def test_it_refuses_an_invalid_level(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = _save_profile(client, display_name="A", level="Z9")
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.level == "A2"


def test_it_requires_sign_in_for_the_profile(client: Client) -> None:
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_deleting_the_account_needs_the_word_delete(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {"confirm": "delete"})
    assert response.status_code == 200
    assert User.objects.filter(pk=alice.pk).exists()


def test_deleting_the_account_removes_its_data_only(client: Client, personas: Personas) -> None:
    mine = Conversation.objects.create(learner=personas.alice, language="es", level="A2")
    Turn.objects.create(conversation=mine, ordinal=0, speaker="learner", text="hola")
    theirs = Conversation.objects.create(learner=personas.charlie, language="fr", level="B1")
    client.force_login(personas.alice)
    response = client.post(reverse("accounts:delete"), {"confirm": "DELETE"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=personas.alice.pk).exists()
    assert not Conversation.objects.filter(pk=mine.pk).exists()
    assert not Turn.objects.filter(conversation_id=mine.pk).exists()
    assert Conversation.objects.filter(pk=theirs.pk).exists()
