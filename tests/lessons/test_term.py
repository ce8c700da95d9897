"""Through the term: editing a classroom, moving a learner, archiving or deleting assignments,
archiving a classroom at the end of term (lessons/teacher_views/term.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lessons.models import Assignment, Classroom, Conversation, Membership
from lessons.selectors.assignments import home_assignments_for
from tests.base import Personas, make_user
from tests.lessons.teaching import fast_passwords, make_assignment, make_conversation  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def _listed(learner: object) -> list[Assignment]:
    """The assignments on the learner's home page, open or done."""
    found = home_assignments_for(learner)  # type: ignore[arg-type]
    return [item.assignment for item in [*found.open, *found.done]]


def _as(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_teacher_renames_a_class_and_changes_its_levels(personas: Personas) -> None:
    bob = _as(personas.bob)
    url = reverse("teach:classroom_edit", args=[personas.classroom.pk])
    assert "Privacy for this class" in bob.get(url).content.decode()
    data = {"name": "Spanish 2C", "level_min": "B2", "level_max": "A1", "tutor_memory": "on"}
    page = bob.post(url, data)
    assert page.status_code == 200  # levels the wrong way round: the form again, with why
    assert "error" in page.content.decode()
    data["level_max"] = "C1"
    assert bob.post(url, data).status_code == 302
    classroom = Classroom.objects.get(pk=personas.classroom.pk)
    assert (classroom.name, classroom.level_min, classroom.level_max) == ("Spanish 2C", "B2", "C1")
    assert classroom.language == "es" and classroom.tutor_memory and not classroom.teacher_listens


def test_moving_a_learner_keeps_their_work_with_the_old_class(personas: Personas) -> None:
    source, alice = personas.classroom, personas.alice
    target = Classroom.objects.create(teacher=personas.bob, name="Spanish 3A", language="es")
    french = Classroom.objects.create(teacher=personas.bob, name="French 1", language="fr")
    homework = make_conversation(alice, make_assignment(source), said=["Hola"])
    bob = _as(personas.bob)
    url = reverse("teach:move_learner", args=[source.pk, alice.pk])
    page = bob.get(url).content.decode()
    assert "Spanish 3A" in page and "French 1" not in page  # the same language only
    assert bob.post(url, {"classroom": french.pk}).status_code == 200  # not offered: refused
    assert bob.post(url, {"classroom": target.pk}).status_code == 302
    assert list(Membership.objects.filter(learner=alice).values_list("classroom", flat=True)) == [
        target.pk
    ]
    homework.refresh_from_db()
    assert homework.assignment is not None and homework.assignment.classroom_id == source.pk


def test_another_teacher_cannot_move_a_learner_into_their_class(personas: Personas) -> None:
    other_teacher = make_user("dora@example.org", role="teacher")
    theirs = Classroom.objects.create(teacher=other_teacher, name="Dora's", language="es")
    url = reverse("teach:move_learner", args=[personas.classroom.pk, personas.alice.pk])
    assert _as(personas.bob).post(url, {"classroom": theirs.pk}).status_code == 200
    assert not Membership.objects.filter(classroom=theirs).exists()


def test_an_archived_assignment_leaves_learners_lists_and_keeps_its_evidence(
    personas: Personas,
) -> None:
    assignment = make_assignment(personas.classroom)
    make_conversation(personas.alice, assignment, said=["Hola"])
    assert _listed(personas.alice)
    bob = _as(personas.bob)
    archive = reverse("teach:assignment_archive", args=[assignment.pk])
    assert bob.post(archive).status_code == 302
    assert not _listed(personas.alice)
    page = bob.get(reverse("teach:assignment", args=[assignment.pk])).content.decode()
    assert "Archived on" in page and personas.alice.name in page
    alice = _as(personas.alice)
    start = alice.post(reverse("tutor:start"), {"assignment": assignment.pk})
    assert start.status_code == 302 and start["Location"] == reverse("lessons:home")
    assert Conversation.objects.filter(assignment=assignment).count() == 1  # none started
    assert bob.post(archive, {"archive": "0"}).status_code == 302
    assert _listed(personas.alice)


def test_deleting_an_assignment_leaves_the_learners_conversations_as_practice(
    personas: Personas,
) -> None:
    assignment = make_assignment(personas.classroom)
    homework = make_conversation(personas.alice, assignment, said=["Hola"])
    bob = _as(personas.bob)
    url = reverse("teach:assignment_delete", args=[assignment.pk])
    assert "1 conversation was held for it" in bob.get(url).content.decode()
    response = bob.post(url, follow=True)
    assert "1 conversation stays in the learners" in response.content.decode()
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    homework.refresh_from_db()
    assert homework.assignment is None and homework.turns.exists()


def test_an_archived_class_takes_no_one_and_no_new_work(personas: Personas) -> None:
    classroom = personas.classroom
    assignment = make_assignment(classroom)
    bob = _as(personas.bob)
    assert bob.post(reverse("teach:classroom_archive", args=[classroom.pk])).status_code == 302
    classroom.refresh_from_db()
    assert classroom.archived_at is not None
    assert not _listed(personas.alice)  # its work leaves the learners' lists
    charlie = _as(personas.charlie)
    join = reverse("teach:join", args=[classroom.join_code])
    assert "This classroom has ended" in charlie.get(join).content.decode()
    charlie.post(join)
    assert not Membership.objects.filter(classroom=classroom, learner=personas.charlie).exists()
    new = bob.get(reverse("teach:assignment_new", args=[classroom.pk]))
    assert new.status_code == 302
    page = bob.get(reverse("teach:classroom", args=[classroom.pk])).content.decode()
    assert "Archived on" in page and assignment.topic.title in page  # the evidence stays
    assert classroom.join_code not in page  # no code to share
    dashboard = bob.get(reverse("teach:dashboard")).content.decode()
    assert "archived" in dashboard
    bob.post(reverse("teach:classroom_archive", args=[classroom.pk]), {"archive": "0"})
    assert _listed(personas.alice)
