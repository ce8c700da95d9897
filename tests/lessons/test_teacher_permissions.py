"""Who may see what, as a matrix: bob sees his classrooms' assignment conversations and nothing
else of alice's; charlie (an outsider) and olga (another school's teacher) see nothing; learners
never see classmates' data. Anonymous visitors are sent to sign in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import Assignment, Classroom, Comment, Conversation, Membership, Topic
from lessons.selectors.assignments import open_assignments_for
from lessons.selectors.trends import learner_trends
from tests.base import Personas, make_user
from tests.lessons.teaching import (
    fast_passwords,  # noqa: F401 (a fixture, used by name)
    make_assignment,
    make_conversation,
    make_topic,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@dataclass
class World:
    personas: Personas
    olga: User  # a teacher at another school; alice is in her classroom too
    dora: User  # alice's classmate
    assignment: Assignment
    homework: Conversation  # alice's, for bob's assignment
    free: Conversation  # alice's free practice
    elsewhere: Conversation  # alice's, for olga's assignment
    classmate: Conversation  # dora's, for bob's assignment
    topic: Topic  # bob's own


@pytest.fixture
def world(personas: Personas) -> World:
    olga = make_user("olga@example.org", role="teacher", native_language="en", target_language="es")
    dora = make_user("dora@example.org")
    Membership.objects.create(classroom=personas.classroom, learner=dora)
    olga_class = Classroom.objects.create(teacher=olga, name="Olga's", language="es")
    Membership.objects.create(classroom=olga_class, learner=personas.alice)
    assignment = make_assignment(personas.classroom, min_speaking_minutes=10)
    return World(
        personas=personas,
        olga=olga,
        dora=dora,
        assignment=assignment,
        homework=make_conversation(personas.alice, assignment, said=["Quisiera un café"]),
        free=make_conversation(personas.alice, said=["Hola"], seconds=600),
        elsewhere=make_conversation(
            personas.alice, make_assignment(olga_class), said=["Hola"], seconds=900
        ),
        classmate=make_conversation(dora, assignment, said=["La cuenta, por favor"]),
        topic=make_topic(author=personas.bob, slug="mine"),
    )


def _urls(w: World) -> dict[str, str]:
    c, a, alice = w.personas.classroom.pk, w.assignment.pk, w.personas.alice.pk
    return {
        "dashboard": reverse("teach:dashboard"),
        "classroom_new": reverse("teach:classroom_new"),
        "review": reverse("teach:review"),
        "topics": reverse("teach:topics"),
        "topic_new": reverse("teach:topic_new"),
        "topic_export": reverse("teach:topic_export"),
        "classroom": reverse("teach:classroom", args=[c]),
        "learner": reverse("teach:learner", args=[c, alice]),
        "remove_learner": reverse("teach:remove_learner", args=[c, alice]),
        "assignment_new": reverse("teach:assignment_new", args=[c]),
        "assignment": reverse("teach:assignment", args=[a]),
        "assignment_edit": reverse("teach:assignment_edit", args=[a]),
        "assignment_csv": reverse("teach:assignment_csv", args=[a]),
        "transcript": reverse("teach:transcript", args=[w.homework.pk]),
        "topic_edit": reverse("teach:topic_edit", args=[w.topic.pk]),
    }


# Pages that name one of bob's objects: other teachers get 404, not a hint that it exists.
OBJECT_PAGES = {
    "classroom",
    "learner",
    "remove_learner",
    "assignment_new",
    "assignment",
    "assignment_edit",
    "assignment_csv",
    "transcript",
    "topic_edit",
}
PAGES = [
    "dashboard",
    "classroom_new",
    "review",
    "topics",
    "topic_new",
    "topic_export",
    *sorted(OBJECT_PAGES),
]
EXPECTED = {
    "bob": lambda page: 200,
    "olga": lambda page: 404 if page in OBJECT_PAGES else 200,
    "alice": lambda page: 403,
    "charlie": lambda page: 403,
}


def _login(client: Client, w: World, who: str) -> None:
    users = {"olga": w.olga, "dora": w.dora}
    client.force_login(users.get(who) or getattr(w.personas, who))


@pytest.mark.parametrize("who", list(EXPECTED))
def test_teacher_pages_answer_each_persona(client: Client, world: World, who: str) -> None:
    """One persona per test, every page in it: the whole row of the matrix fails at once."""
    _login(client, world, who)
    urls = _urls(world)
    answers = {page: client.get(urls[page]).status_code for page in PAGES}
    assert answers == {page: EXPECTED[who](page) for page in PAGES}


def test_teacher_pages_send_anonymous_visitors_to_sign_in(client: Client, world: World) -> None:
    login = reverse("account_login")
    for page, url in _urls(world).items():
        response = client.get(url)
        assert (page, response.status_code) == (page, 302)
        assert response["Location"].startswith(f"{login}?next=")


@pytest.mark.parametrize("conversation", ["free", "elsewhere"])
def test_bob_cannot_read_alices_other_conversations(
    client: Client, world: World, conversation: str
) -> None:
    client.force_login(world.personas.bob)
    pk = getattr(world, conversation).pk
    assert client.get(reverse("teach:transcript", args=[pk])).status_code == 404


def test_bob_loses_sight_of_alice_when_she_leaves(client: Client, world: World) -> None:
    world.personas.classroom.learners.remove(world.personas.alice)
    client.force_login(world.personas.bob)
    assert client.get(reverse("teach:transcript", args=[world.homework.pk])).status_code == 404
    url = reverse("teach:learner", args=[world.personas.classroom.pk, world.personas.alice.pk])
    assert client.get(url).status_code == 404
    rows = (
        client.get(reverse("teach:assignment", args=[world.assignment.pk])).context["evidence"].rows
    )
    assert [row.learner for row in rows] == [world.dora]


def test_bob_cannot_open_a_non_members_progress(client: Client, world: World) -> None:
    client.force_login(world.personas.bob)
    url = reverse("teach:learner", args=[world.personas.classroom.pk, world.personas.charlie.pk])
    assert client.get(url).status_code == 404


def test_trends_count_only_this_classrooms_assignments(world: World) -> None:
    trends = learner_trends(world.personas.classroom, world.personas.alice)
    # 150 s of homework; the 600 s of free practice and 900 s for olga are not bob's to see.
    assert trends.total_minutes == pytest.approx(2.5)
    assert [line.assignment for line in trends.assignments] == [world.assignment]


def test_the_evidence_holds_no_other_conversations_of_alice(client: Client, world: World) -> None:
    client.force_login(world.personas.bob)
    page = client.get(reverse("teach:assignment", args=[world.assignment.pk])).content.decode()
    assert str(world.homework.pk) in page
    assert str(world.free.pk) not in page
    assert str(world.elsewhere.pk) not in page


def test_learners_never_see_classmates_data(client: Client, world: World) -> None:
    [item] = open_assignments_for(world.personas.alice)
    assert item.progress.attempts == 1  # dora's attempt is not counted as alice's
    client.force_login(world.personas.alice)
    for name in ("tutor:conversation", "learn:conversation_review"):
        response = client.get(reverse(name, args=[world.classmate.pk]))
        assert (name, response.status_code) == (name, 404)


POSTS: dict[str, Any] = {
    "rotate_code": lambda w: (reverse("teach:rotate_code", args=[w.personas.classroom.pk]), {}),
    "remove_learner": lambda w: (
        reverse("teach:remove_learner", args=[w.personas.classroom.pk, w.personas.alice.pk]),
        {},
    ),
    "topic_delete": lambda w: (reverse("teach:topic_delete", args=[w.topic.pk]), {}),
    "comment": lambda w: (reverse("teach:transcript", args=[w.homework.pk]), {"text": "hi"}),
    "assignment_new": lambda w: (
        reverse("teach:assignment_new", args=[w.personas.classroom.pk]),
        {"topic": w.topic.pk, "due_at": "2099-01-01T10:00", "starts_at": "2098-01-01T10:00"},
    ),
}


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("charlie", 403), ("olga", 404)])
@pytest.mark.parametrize("action", list(POSTS))
def test_changes_by_anyone_but_bob_are_refused(
    client: Client, world: World, who: str, status: int, action: str
) -> None:
    code = world.personas.classroom.join_code
    _login(client, world, who)
    url, data = POSTS[action](world)
    assert client.post(url, data).status_code == status
    world.personas.classroom.refresh_from_db()
    assert world.personas.classroom.join_code == code
    assert world.personas.classroom.learners.filter(pk=world.personas.alice.pk).exists()
    assert Topic.objects.filter(pk=world.topic.pk).exists()
    assert not Comment.objects.exists()
    assert Assignment.objects.filter(classroom=world.personas.classroom).count() == 1
