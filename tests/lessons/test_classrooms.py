"""Classrooms: creating, join codes and links, joining, leaving, removing, the dashboards."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.forms_teacher import EXAMPLE_JOIN_CODE
from lessons.models import JOIN_CODE_ALPHABET, Classroom, Membership, new_join_code
from lessons.services.classrooms import (
    classroom_by_code,
    classroom_join,
    classroom_rotate_code,
    normalise_join_code,
)
from tests.base import Personas, make_user
from tests.lessons.teaching import (
    attempted_by_new_learners,
    fast_passwords,  # noqa: F401 (a fixture, used by name)
    make_assignment,
    make_conversation,
    make_topic,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def test_a_teacher_creates_a_classroom_and_gets_a_code_and_link(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.post(
        reverse("teach:classroom_new"),
        {"name": "Français 1A", "language": "fr", "level_min": "A1", "level_max": "A2"},
    )
    classroom = Classroom.objects.get(name="Français 1A")
    assert response["Location"] == reverse("teach:classroom", args=[classroom.pk])
    assert (classroom.teacher, classroom.language, classroom.level_max) == (bob, "fr", "A2")
    page = client.get(response["Location"]).content.decode()
    assert classroom.join_code in page
    assert f"http://testserver/teach/join/{classroom.join_code}/" in page


def test_the_level_range_must_be_ordered(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.post(
        reverse("teach:classroom_new"),
        {"name": "Backwards", "language": "es", "level_min": "B2", "level_max": "A1"},
    )
    assert response.status_code == 200
    assert "must not be above" in response.content.decode()
    assert not Classroom.objects.filter(name="Backwards").exists()


def test_a_learner_joins_with_the_link(client: Client, personas: Personas) -> None:
    dora = make_user("dora@example.org")
    client.force_login(dora)
    url = reverse("teach:join", args=[personas.classroom.join_code])
    page = client.get(url).content.decode()
    assert "Spanish 2B" in page and "Bob" in page
    response = client.post(url)
    assert response["Location"] == reverse("lessons:home")
    assert personas.classroom.learners.filter(pk=dora.pk).exists()


def test_a_learner_joins_with_a_typed_code(client: Client, personas: Personas) -> None:
    client.force_login(personas.charlie)
    code = personas.classroom.join_code
    typed = f" {code[:4].lower()}-{code[4:]} "
    response = client.post(reverse("teach:join_code"), {"code": typed})
    assert response["Location"] == reverse("teach:join", args=[code])
    client.post(response["Location"])
    assert personas.classroom.learners.filter(pk=personas.charlie.pk).exists()


def test_a_wrong_code_is_refused_kindly(client: Client, personas: Personas) -> None:
    client.force_login(personas.charlie)
    response = client.post(reverse("teach:join_code"), {"code": "ZZZZZZZZ"})
    assert "No classroom has this code" in response.content.decode()
    response = client.get(reverse("teach:join", args=["ZZZZZZZZ"]))
    assert response.status_code == 404
    assert "doesn't work" in response.content.decode()


def test_joining_twice_keeps_one_membership(personas: Personas) -> None:
    assert classroom_join(learner=personas.alice, classroom=personas.classroom) is False
    assert Membership.objects.filter(learner=personas.alice).count() == 1


def test_a_learner_may_be_in_several_classrooms(personas: Personas) -> None:
    other = Classroom.objects.create(teacher=personas.bob, name="Conversation club", language="es")
    assert classroom_join(learner=personas.alice, classroom=other) is True
    assert set(personas.alice.classrooms.all()) == {personas.classroom, other}


def test_a_teacher_cannot_join_their_own_classroom(personas: Personas) -> None:
    with pytest.raises(ValidationError):
        classroom_join(learner=personas.bob, classroom=personas.classroom)


def test_joining_needs_sign_in(client: Client, personas: Personas) -> None:
    url = reverse("teach:join", args=[personas.classroom.join_code])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


def test_rotating_the_code_retires_the_old_one(client: Client, personas: Personas) -> None:
    old = personas.classroom.join_code
    client.force_login(personas.bob)
    client.post(reverse("teach:rotate_code", args=[personas.classroom.pk]))
    personas.classroom.refresh_from_db()
    assert personas.classroom.join_code != old
    assert classroom_by_code(old) is None
    assert classroom_by_code(personas.classroom.join_code) == personas.classroom
    assert personas.classroom.learners.filter(pk=personas.alice.pk).exists()


def test_rotating_is_post_only(client: Client, personas: Personas) -> None:
    client.force_login(personas.bob)
    response = client.get(reverse("teach:rotate_code", args=[personas.classroom.pk]))
    assert response.status_code == 405


def test_rotate_retries_on_a_code_collision(personas: Personas, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    taken = Classroom.objects.create(teacher=personas.bob, name="Other", language="es").join_code
    codes = iter([taken, "NEWC0DE2".replace("0", "Q")])
    monkeypatch.setattr("lessons.services.classrooms.new_join_code", lambda: next(codes))
    assert classroom_rotate_code(classroom=personas.classroom) == "NEWCQDE2"


def test_the_teacher_removes_a_learner_after_confirming(client: Client, personas: Personas) -> None:
    client.force_login(personas.bob)
    url = reverse("teach:remove_learner", args=[personas.classroom.pk, personas.alice.pk])
    assert "Remove Alice" in client.get(url).content.decode()
    assert personas.classroom.learners.filter(pk=personas.alice.pk).exists()
    client.post(url)
    assert not personas.classroom.learners.filter(pk=personas.alice.pk).exists()


def test_a_learner_leaves_a_classroom(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    client.post(reverse("teach:leave", args=[personas.classroom.pk]))
    assert not personas.alice.classrooms.exists()


def test_leaving_a_classroom_you_are_not_in_is_404(client: Client, personas: Personas) -> None:
    client.force_login(personas.charlie)
    response = client.post(reverse("teach:leave", args=[personas.classroom.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("typed", "stored"), [("abcd efgh", "ABCDEFGH"), ("K7PM-Q2XR", "K7PMQ2XR"), ("", "")]
)
def test_join_codes_are_normalised(typed: str, stored: str) -> None:
    assert normalise_join_code(typed) == stored


def test_a_code_with_impossible_characters_finds_nothing(personas: Personas) -> None:
    assert classroom_by_code("O0I1L!!!") is None


def test_the_classroom_page_shows_learners_and_assignment_counts(
    client: Client, personas: Personas
) -> None:
    assignment = make_assignment(personas.classroom, min_speaking_minutes=1)
    make_conversation(personas.alice, assignment, seconds=90)
    client.force_login(personas.bob)
    response = client.get(reverse("teach:classroom", args=[personas.classroom.pk]))
    overview = response.context["overview"]
    assert [row.learner for row in overview.learners] == [personas.alice]
    assert overview.learners[0].minutes == pytest.approx(1.5)
    assert overview.assignments[0].done == 1


@pytest.mark.parametrize("count", [2, 20])
def test_the_classroom_dashboard_takes_the_same_queries_for_2_or_20_learners(
    count: int,
    client: Client,
    personas: Personas,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    attempted_by_new_learners(personas.classroom, count, assignments=2)
    client.force_login(personas.bob)
    url = reverse("teach:classroom", args=[personas.classroom.pk])
    # session, user, classroom, members, assignments, totals
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["overview"].learners) == count + 1


@pytest.mark.parametrize("count", [2, 20])
def test_the_teachers_start_page_takes_the_same_queries_for_2_or_20_learners(
    count: int,
    client: Client,
    personas: Personas,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    attempted_by_new_learners(personas.classroom, count, said=["hola"])
    client.force_login(personas.bob)
    # session, user, classrooms, assignments, members, totals, topics; review queue: 3
    with django_assert_num_queries(10):
        response = client.get(reverse("teach:dashboard"))
    assert response.context["overview"].assignments[0].learners == count + 1
    assert response.context["review_count"] == count  # each said one short turn


def test_open_assignments_show_only_started_unfinished_work_of_the_learner(
    personas: Personas,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from lessons.selectors.assignments import open_assignments_for

    now = timezone.now()
    current = make_assignment(personas.classroom, min_speaking_minutes=2)
    finished = make_assignment(personas.classroom, min_speaking_minutes=1)
    make_assignment(personas.classroom, starts_at=now + timedelta(days=1))  # not open yet
    overdue = make_assignment(
        personas.classroom, starts_at=now - timedelta(days=9), due_at=now - timedelta(days=2)
    )
    make_conversation(personas.alice, finished, seconds=61)
    make_conversation(personas.alice, current, seconds=30)
    other = Classroom.objects.create(teacher=personas.bob, name="Other", language="es")
    make_assignment(other)  # alice is not in it
    items = open_assignments_for(personas.alice)
    assert [item.assignment for item in items] == [overdue, current]
    assert items[1].progress.attempts == 1
    assert items[1].progress_percent == 25
    assert items[0].progress.status == "late"


def test_a_learners_page_shows_the_term_week_by_week(client: Client, personas: Personas) -> None:
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    assignment = make_assignment(
        personas.classroom, starts_at=now - timedelta(days=15), min_speaking_minutes=1
    )
    make_conversation(
        personas.alice,
        assignment,
        said=["quisiera un café"],
        seconds=120,
        started_at=now - timedelta(days=14),
        corrections=["grammar", "grammar"],
    )
    make_conversation(personas.alice, assignment, said=["hola"], seconds=240)
    client.force_login(personas.bob)
    url = reverse("teach:learner", args=[personas.classroom.pk, personas.alice.pk])
    trends = client.get(url).context["trends"]

    def week_of(moment: datetime) -> tuple[float, int, int, float | None]:
        [week] = [w for w in trends.weeks if w.start <= moment < w.start + timedelta(days=7)]
        return (week.minutes, week.conversations, week.corrections, week.corrections_per_minute)

    assert week_of(now - timedelta(days=14)) == (2.0, 1, 2, 1.0)
    assert week_of(now - timedelta(hours=1)) == (4.0, 1, 0, 0.0)
    assert sum(w.conversations for w in trends.weeks) == 2
    assert len(trends.weeks) in (3, 4)  # from the assignment's opening week to this one
    [line] = trends.assignments
    assert (line.progress.status, line.phrases_used, line.phrases_total) == ("done", 1, 3)
    assert trends.corrections_by_kind[0] == ("Grammar", 2)


def test_the_join_code_hint_shows_a_code_shaped_like_real_ones(
    client: Client, personas: Personas
) -> None:
    """The hint used to say "K7PM-Q2XR": real codes have no dash (and the page shows none)."""
    codes = {new_join_code() for _ in range(200)}
    assert {len(code) for code in codes} == {len(EXAMPLE_JOIN_CODE)}
    assert set(EXAMPLE_JOIN_CODE) <= set(JOIN_CODE_ALPHABET)
    client.force_login(personas.alice)
    form = client.get(reverse("teach:join_code")).content.decode()
    assert f"e.g. {EXAMPLE_JOIN_CODE}." in form
    client.force_login(personas.bob)
    page = client.get(reverse("teach:classroom", args=[personas.classroom.pk])).content.decode()
    assert f'<p class="join-code">{personas.classroom.join_code}</p>' in page


def test_finished_assignments_stay_on_the_learners_home_as_done(
    client: Client, personas: Personas
) -> None:
    """They vanished from the home page once done."""
    current = make_assignment(personas.classroom, min_speaking_minutes=2)
    finished = make_assignment(
        personas.classroom, make_topic(title="En la farmacia"), min_speaking_minutes=1
    )
    make_conversation(personas.alice, finished, seconds=61)
    client.force_login(personas.alice)
    response = client.get(reverse("lessons:home"))
    assert [item.assignment for item in response.context["open_assignments"]] == [current]
    [done] = response.context["done_assignments"]
    assert done.assignment == finished
    assert done.progress.status == "done"
    body = response.content.decode()
    assert 'aria-labelledby="done-assignments-heading"' in body
    open_part, done_part = body.split('id="done-assignments-heading"')
    assert "En la farmacia" in done_part and "En la farmacia" not in open_part
    assert "Practise again" in done_part
