"""A topic's persona (the tutor's name and voice in the role) on the teacher's form, in the
portable JSON, in copies of built-in topics; and the learner's own free-talk voice."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import Conversation, Topic
from lessons.topic_io import FORMAT, VERSION, export_topics, import_json
from tests.accounts.test_profile import PROFILE
from tests.lessons.teaching import (
    fast_passwords,  # noqa: F401 (a fixture, used by name)
    make_topic,
)
from tests.lessons.test_topic_authoring import _form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def test_a_teacher_gives_a_role_play_a_persona(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.post(
        reverse("teach:topic_new"), _form(persona_name="Marisa", voice="Despina")
    )
    assert response["Location"] == reverse("teach:topics")
    topic = Topic.objects.get(author=bob)
    assert (topic.persona_name, topic.voice) == ("Marisa", "Despina")


def test_a_persona_is_optional(client: Client, bob: User) -> None:
    client.force_login(bob)
    client.post(reverse("teach:topic_new"), _form())
    assert Topic.objects.values_list("persona_name", "voice").get() == ("", "")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"voice": "Bob"}, "Select a valid choice"),
        ({"voice": "kore"}, "Select a valid choice"),
        ({"persona_name": "n" * 61}, "at most 60 characters"),
    ],
)
def test_the_persona_is_validated(
    client: Client, bob: User, overrides: dict[str, str], message: str
) -> None:
    client.force_login(bob)
    response = client.post(reverse("teach:topic_new"), _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Topic.objects.filter(author=bob).exists()


def test_the_form_offers_every_voice_with_a_sample_button(client: Client, bob: User) -> None:
    client.force_login(bob)
    html = client.get(reverse("teach:topic_new")).content.decode()
    assert html.count('<option value="') >= 30 + 1  # the voices and the language's own
    assert '<option value="" selected>The language&#x27;s usual voice</option>' in html
    assert '<option value="Sulafat">Sulafat · warm</option>' in html
    assert 'data-url="/voices/VOICE/LANG.wav"' in html
    assert 'data-language-from="id_language"' in html
    assert "js/voice_preview.js" in html
    assert 'role="status"' in html  # where the button says what it is doing


def test_a_copy_of_a_builtin_topic_keeps_its_persona(client: Client, bob: User) -> None:
    builtin = make_topic(title="Pedir en un bar", persona_name="Paco", voice="Puck")
    client.force_login(bob)
    form = client.get(reverse("teach:topic_new"), {"from": builtin.pk}).context["form"]
    assert (form.initial["persona_name"], form.initial["voice"]) == ("Paco", "Puck")


def _file(**fields: Any) -> bytes:
    topic = {
        "title": "À la boulangerie",
        "language": "fr",
        "level_min": "A1",
        "level_max": "A2",
        "scenario": "Une boulangerie à Lyon.",
        "tutor_role": "le boulanger",
        "learner_goal": "acheter du pain",
        "target_phrases": ["je voudrais une baguette"],
        **fields,
    }
    return json.dumps({"format": FORMAT, "version": VERSION, "topics": [topic]}).encode()


def test_the_persona_travels_in_the_json_file(bob: User) -> None:
    topic = make_topic(author=bob, persona_name="Paco", voice="Puck")
    exported = export_topics([topic])["topics"][0]
    assert (exported["persona_name"], exported["voice"]) == ("Paco", "Puck")
    [copy] = import_json(_file(persona_name="Hugo", voice="Orus"), author=bob).created
    assert (copy.persona_name, copy.voice) == ("Hugo", "Orus")


def test_an_older_file_without_a_persona_still_imports(bob: User) -> None:
    [copy] = import_json(_file(), author=bob).created
    assert (copy.persona_name, copy.voice) == ("", "")


def test_a_file_naming_an_unknown_voice_is_refused(bob: User) -> None:
    with pytest.raises(ValidationError, match="Topic 1, voice"):
        import_json(_file(voice="Bob"), author=bob)


def test_a_learner_chooses_a_free_talk_voice(client: Client, alice: User) -> None:
    client.force_login(alice)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "My tutor&#x27;s voice in free talk" in html
    assert 'data-language="es"' in html and 'data-language-from="id_target_language"' in html
    response = client.post(reverse("accounts:profile"), {**PROFILE, "tutor_voice": "Sulafat"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.tutor_voice == "Sulafat"
    response = client.post(reverse("accounts:profile"), {**PROFILE, "tutor_voice": "Bob"})
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.tutor_voice == "Sulafat"


def test_the_teachers_list_and_the_conversation_page_show_the_persona(
    client: Client, bob: User, alice: User
) -> None:
    topic = make_topic(author=bob, title="En la farmacia", persona_name="Carmen", voice="Despina")
    client.force_login(bob)
    listing = client.get(reverse("teach:topics")).content.decode()
    assert "· Carmen · voice Despina" in listing
    conversation = Conversation.objects.create(
        learner=alice, topic=topic, language="es", level="A2"
    )
    client.force_login(alice)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "<dt>Tutor's name</dt><dd>Carmen</dd>" in page
