"""Assignments: set by the teacher, seen and started by learners, exported as CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from lessons.models import Assignment, Conversation
from lessons.selectors.assignments import open_assignments_for
from lessons.services.rubrics import rubric_attach
from tests.base import Personas
from tests.lessons.teaching import (
    attempted_by_new_learners,
    fast_passwords,  # noqa: F401 (a fixture, used by name)
    make_assignment,
    make_conversation,
    make_topic,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

FORMAT = "%Y-%m-%dT%H:%M"


def _form(topic_pk: int, **overrides: Any) -> dict[str, Any]:
    now = timezone.localtime()
    data = {
        "topic": topic_pk,
        "starts_at": now.strftime(FORMAT),
        "due_at": (now + timedelta(days=7)).strftime(FORMAT),
        "min_speaking_minutes": 6,
        "correction_style": "explain",
        "instructions": "Pide algo de comer y paga.",
    }
    data.update(overrides)
    return data


def test_a_teacher_assigns_a_topic_to_a_classroom(client: Client, personas: Personas) -> None:
    topic = make_topic(author=personas.bob)
    client.force_login(personas.bob)
    response = client.post(
        reverse("teach:assignment_new", args=[personas.classroom.pk]), _form(topic.pk)
    )
    assignment = Assignment.objects.get()
    assert response["Location"] == reverse("teach:assignment", args=[assignment.pk])
    assert (assignment.classroom, assignment.topic) == (personas.classroom, topic)
    assert (assignment.min_speaking_minutes, assignment.correction_style) == (6, "explain")
    assert assignment.due_at - assignment.starts_at == timedelta(days=7)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"due_at": "2020-01-01T10:00", "starts_at": "2020-01-02T10:00"}, "must come after"),
        ({"due_at": "2020-01-02T10:00", "starts_at": "2020-01-01T10:00"}, "in the future"),
        ({"min_speaking_minutes": 0}, "greater than or equal to 1"),
        ({"min_speaking_minutes": 121}, "less than or equal to 120"),
        ({"topic": 999999}, "Select a valid choice"),
        ({"correction_style": "loud"}, "Select a valid choice"),
    ],
)
def test_the_assignment_form_validates(
    client: Client, personas: Personas, overrides: dict[str, Any], message: str
) -> None:
    topic = make_topic()
    client.force_login(personas.bob)
    url = reverse("teach:assignment_new", args=[personas.classroom.pk])
    response = client.post(url, _form(topic.pk, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_topic_is_locked_once_learners_have_practised(
    client: Client, personas: Personas
) -> None:
    assignment = make_assignment(personas.classroom)
    make_conversation(personas.alice, assignment)
    other = make_topic(slug="other", title="Otro")
    client.force_login(personas.bob)
    url = reverse("teach:assignment_edit", args=[assignment.pk])
    response = client.post(url, _form(other.pk, min_speaking_minutes=3))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.topic.title, assignment.min_speaking_minutes) == ("En el café", 3)


def test_learners_see_open_assignments_and_start_from_them(
    client: Client, personas: Personas
) -> None:
    assignment = make_assignment(personas.classroom, instructions="¡Suerte!")
    request = RequestFactory().get("/")
    request.user = personas.alice
    html = render_to_string(
        "lessons/partials/home_assignments.html",
        {"open_assignments": open_assignments_for(personas.alice)},
        request=request,
    )
    assert "En el café" in html and "¡Suerte!" in html and "Spanish 2B" in html
    assert f'name="assignment" value="{assignment.pk}"' in html
    assert f'action="{reverse("tutor:start")}"' in html
    client.force_login(personas.alice)
    response = client.post(reverse("tutor:start"), {"assignment": assignment.pk})
    conversation = Conversation.objects.get(learner=personas.alice)
    assert response["Location"] == conversation.get_absolute_url()
    assert (conversation.assignment, conversation.topic) == (assignment, assignment.topic)


def test_repeat_attempts_are_all_kept(client: Client, personas: Personas) -> None:
    assignment = make_assignment(personas.classroom)
    client.force_login(personas.alice)
    for _ in range(3):
        client.post(reverse("tutor:start"), {"assignment": assignment.pk})
    assert Conversation.objects.filter(assignment=assignment).count() == 3
    [item] = open_assignments_for(personas.alice)
    assert item.progress.attempts == 3


def test_a_learner_cannot_start_another_classrooms_assignment(
    client: Client, personas: Personas
) -> None:
    assignment = make_assignment(personas.classroom)
    client.force_login(personas.charlie)
    response = client.post(reverse("tutor:start"), {"assignment": assignment.pk})
    assert response.status_code == 404
    assert not Conversation.objects.exists()


def test_the_assignment_page_shows_the_evidence(client: Client, personas: Personas) -> None:
    assignment = make_assignment(personas.classroom)
    conversation = make_conversation(personas.alice, assignment, said=["Quisiera un café."])
    client.force_login(personas.bob)
    page = client.get(reverse("teach:assignment", args=[assignment.pk])).content.decode()
    assert f"{reverse('teach:transcript', args=[conversation.pk])}#turn-1" in page
    assert 'id="live-config"' in page
    assert f"/ws/assignments/{assignment.pk}/live/" in page
    assert "<script>" not in page  # strict CSP: data goes through json_script only


@pytest.mark.parametrize("count", [2, 20])
def test_the_assignment_page_takes_the_same_queries_for_2_or_20_learners(
    count: int,
    client: Client,
    personas: Personas,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    (assignment,) = attempted_by_new_learners(
        personas.classroom, count, said=["quisiera un café"], corrections=["grammar"]
    )
    client.force_login(personas.bob)
    # session, user, assignment; members, totals, attempts, turns, corrections; rubric
    with django_assert_num_queries(9):
        response = client.get(reverse("teach:assignment", args=[assignment.pk]))
    assert len(response.context["evidence"].rows) == count + 1


@pytest.mark.parametrize("count", [2, 20])
def test_with_a_rubric_the_page_still_takes_the_same_queries_for_2_or_20_learners(
    count: int,
    client: Client,
    personas: Personas,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    (assignment,) = attempted_by_new_learners(personas.classroom, count, said=["hola"])
    rubric_attach(assignment=assignment, level="A2")
    client.force_login(personas.bob)
    # as above, the rubric and its criteria, the totals, whether it came from a platform
    with django_assert_num_queries(12):
        response = client.get(reverse("teach:assignment", args=[assignment.pk]))
    assert len(response.context["rubric_rows"]) == count + 1


def test_the_csv_export_has_one_row_per_learner(client: Client, personas: Personas) -> None:
    assignment = make_assignment(personas.classroom, min_speaking_minutes=2)
    make_conversation(
        personas.alice,
        assignment,
        said=["Quisiera un café", "¿Cuánto cuesta?"],
        seconds=150,
        corrections=["grammar", "vocabulary"],
    )
    client.force_login(personas.bob)
    response = client.get(reverse("teach:assignment_csv", args=[assignment.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="Spanish-2B-En-el-caf' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert (row["learner"], row["status"], row["speaking_minutes"]) == ("Alice", "Done", "2.5")
    assert (row["attempts"], row["phrases_used"]) == ("1", "2/3")
    assert row["phrase: quisiera un café"] == "yes"
    assert row["phrase: la cuenta, por favor"] == "no"
    assert (row["corrections: grammar"], row["corrections: vocabulary"]) == ("1", "1")


def test_the_csv_export_defuses_spreadsheet_formulas(client: Client, personas: Personas) -> None:
    personas.alice.display_name = '=HYPERLINK("http://evil")'
    personas.alice.save()
    assignment = make_assignment(personas.classroom)
    client.force_login(personas.bob)
    body = client.get(reverse("teach:assignment_csv", args=[assignment.pk])).content.decode()
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body


def test_the_csv_file_name_keeps_its_letters(client: Client, personas: Personas) -> None:
    """It came out as Espa-ol-2B-…: accents fold to ASCII, and the real name goes along."""
    personas.classroom.name = "Español 2B"
    personas.classroom.save()
    assignment = make_assignment(personas.classroom)
    client.force_login(personas.bob)
    response = client.get(reverse("teach:assignment_csv", args=[assignment.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Espanol-2B-En-el-cafe.csv"; ')
    assert disposition.endswith("filename*=UTF-8''Espa%C3%B1ol-2B-En-el-caf%C3%A9.csv")
