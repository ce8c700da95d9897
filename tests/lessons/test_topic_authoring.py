"""Teachers write their own topics and role-plays; the prompt builder uses every field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import Topic
from lessons.services.conversations import conversation_start
from tests.base import Personas
from tests.lessons.teaching import (
    fast_passwords,  # noqa: F401 (a fixture, used by name)
    make_assignment,
    make_topic,
)
from tutor.live.upstream import briefs
from tutor.prompts import build_system_instruction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "En la farmacia",
        "language": "es",
        "level_min": "A2",
        "level_max": "B1",
        "scenario": "Te duele la cabeza y entras en una farmacia de barrio.",
        "tutor_role": "la farmacéutica, amable pero con prisa",
        "learner_goal": "explain the symptoms and buy something for a headache",
        "phrases": "me duele la cabeza\n¿tiene algo para…?\n\n  ¿cada cuántas horas?  \n",
        "grammar_focus": "doler + pronombre",
        "opener": "Buenos días, ¿qué le pasa?",
        "correction_style": "explain",
    }
    data.update(overrides)
    return data


def test_a_teacher_writes_a_role_play(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.post(reverse("teach:topic_new"), _form())
    assert response["Location"] == reverse("teach:topics")
    topic = Topic.objects.get(author=bob)
    assert topic.slug == "en-la-farmacia"
    assert topic.target_phrases == [
        "me duele la cabeza",
        "¿tiene algo para…?",
        "¿cada cuántas horas?",
    ]
    assert (topic.grammar_focus, topic.correction_style) == ("doler + pronombre", "explain")
    assert "En la farmacia" in client.get(reverse("teach:topics")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phrases": ""}, "This field is required"),
        ({"phrases": "\n".join(f"frase {n}" for n in range(9))}, "between 1 and 8"),
        ({"phrases": "x" * 121}, "under 120 characters"),
        ({"level_min": "C1", "level_max": "A2"}, "must not be above"),
        ({"scenario": "y" * 1001}, "at most 1000 characters"),
        ({"title": "t" * 121}, "at most 120 characters"),
        ({"learner_goal": ""}, "This field is required"),
        ({"tutor_role": ""}, "This field is required"),
        ({"language": "xx"}, "Select a valid choice"),
        ({"correction_style": "shout"}, "Select a valid choice"),
    ],
)
def test_the_topic_form_validates(
    client: Client, bob: User, overrides: dict[str, str], message: str
) -> None:
    client.force_login(bob)
    response = client.post(reverse("teach:topic_new"), _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Topic.objects.filter(author=bob).exists()


def test_duplicate_phrases_are_kept_once(client: Client, bob: User) -> None:
    client.force_login(bob)
    client.post(reverse("teach:topic_new"), _form(phrases="Hola\nhola\nHOLA\nadiós"))
    assert Topic.objects.get(author=bob).target_phrases == ["Hola", "adiós"]


def test_the_same_title_twice_gets_a_new_slug(client: Client, bob: User) -> None:
    client.force_login(bob)
    client.post(reverse("teach:topic_new"), _form())
    client.post(reverse("teach:topic_new"), _form())
    assert sorted(Topic.objects.filter(author=bob).values_list("slug", flat=True)) == [
        "en-la-farmacia",
        "en-la-farmacia-2",
    ]


def test_a_japanese_title_still_gets_a_slug(client: Client, bob: User) -> None:
    client.force_login(bob)
    client.post(reverse("teach:topic_new"), _form(title="駅で", language="ja", phrases="切符"))
    assert Topic.objects.get(author=bob).slug == "topic"


def test_a_teacher_edits_their_topic(client: Client, bob: User) -> None:
    topic = make_topic(author=bob)
    client.force_login(bob)
    url = reverse("teach:topic_edit", args=[topic.pk])
    assert "la cuenta, por favor" in client.get(url).content.decode()
    client.post(url, _form(title="En el café (v2)", phrases="una caña"))
    topic.refresh_from_db()
    assert (topic.title, topic.target_phrases) == ("En el café (v2)", ["una caña"])


def test_nobody_edits_another_teachers_topic(client: Client, bob: User) -> None:
    other = User.objects.create_user(email="olga@example.org", role="teacher", onboarded=True)
    topic = make_topic(author=other)
    client.force_login(bob)
    assert client.get(reverse("teach:topic_edit", args=[topic.pk])).status_code == 404
    assert client.post(reverse("teach:topic_delete", args=[topic.pk])).status_code == 404
    builtin = make_topic()
    assert client.get(reverse("teach:topic_edit", args=[builtin.pk])).status_code == 404


def test_an_assigned_topic_cannot_be_deleted(client: Client, personas: Personas) -> None:
    topic = make_topic(author=personas.bob)
    make_assignment(personas.classroom, topic=topic)
    client.force_login(personas.bob)
    client.post(reverse("teach:topic_delete", args=[topic.pk]))
    assert Topic.objects.filter(pk=topic.pk).exists()
    spare = make_topic(author=personas.bob, slug="spare")
    client.post(reverse("teach:topic_delete", args=[spare.pk]))
    assert not Topic.objects.filter(pk=spare.pk).exists()


def test_a_teacher_starts_from_a_builtin_topic(client: Client, bob: User) -> None:
    builtin = make_topic(title="Pedir en un bar")
    client.force_login(bob)
    form = client.get(reverse("teach:topic_new"), {"from": builtin.pk}).context["form"]
    assert form.initial["title"] == "Pedir en un bar (my version)"
    assert form.initial["phrases"] == "la cuenta, por favor\nquisiera un café\n¿cuánto cuesta?"


def test_own_topics_can_be_assigned_but_not_other_teachers(
    client: Client, personas: Personas
) -> None:
    mine = make_topic(author=personas.bob, title="Mío")
    other = User.objects.create_user(email="olga@example.org", role="teacher", onboarded=True)
    theirs = make_topic(author=other, title="Suyo")
    french = make_topic(author=personas.bob, language="fr", title="Français")
    client.force_login(personas.bob)
    form = client.get(reverse("teach:assignment_new", args=[personas.classroom.pk])).context["form"]
    choices = set(form.fields["topic"].queryset)
    assert mine in choices
    assert theirs not in choices
    assert french not in choices  # the classroom practises Spanish


def test_the_prompt_uses_every_field_of_a_teachers_topic(personas: Personas) -> None:
    topic = make_topic(
        author=personas.bob,
        scenario="Una farmacia de barrio un lunes por la mañana.",
        tutor_role="la farmacéutica",
        learner_goal="buy something for a headache",
        target_phrases=["me duele la cabeza", "¿cada cuántas horas?"],
        grammar_focus="doler + pronombre",
        opener="Buenos días, ¿qué le pasa?",
        correction_style="none",
    )
    assignment = make_assignment(personas.classroom, topic=topic, correction_style="explain")
    conversation = conversation_start(learner=personas.alice, assignment=assignment)
    learner_brief, topic_brief = briefs(conversation)
    instruction = build_system_instruction(learner=learner_brief, topic=topic_brief)
    for text in (
        topic.title,
        topic.scenario,
        "la farmacéutica",
        "buy something for a headache",
        '- "me duele la cabeza"\n- "¿cada cuántas horas?"',  # one quoted phrase a line
        "doler + pronombre",
    ):
        assert text in instruction
    # The assignment's correction style wins over the topic's and the learner's.
    assert topic_brief is not None and topic_brief.correction_style == "explain"
    assert topic_brief.opener == "Buenos días, ¿qué le pasa?"
