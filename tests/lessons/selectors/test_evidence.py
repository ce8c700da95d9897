"""Phrase evidence: the per-assignment table (the matching rule is tested in
tests/lessons/text/test_phrase_match.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from lessons.selectors.assignments import AssignmentStatus
from lessons.selectors.evidence import assignment_evidence, phrases_by_turn
from tests.base import Personas, make_user
from tests.lessons.teaching import (
    add_learners,
    fast_passwords,  # noqa: F401 (a fixture, used by name)
    make_assignment,
    make_conversation,
    make_topic,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def test_it_finds_phrases_only_in_the_learners_own_turns(personas: Personas) -> None:
    assignment = make_assignment(personas.classroom)
    # The tutor says "¿Y qué más?" and, here, a target phrase; only the learner's turns count.
    conversation = make_conversation(personas.alice, assignment, said=["Hola, buenos días."])
    conversation.turns.create(ordinal=10, speaker="tutor", text="¿Quiere la cuenta, por favor?")
    row = assignment_evidence(assignment).rows[0]
    assert row.phrases_used == 0


def test_each_used_phrase_links_to_the_turns_that_show_it(personas: Personas) -> None:
    assignment = make_assignment(personas.classroom)
    conversation = make_conversation(
        personas.alice,
        assignment,
        said=["Quisiera un café con leche.", "Y la cuenta por favor", "¡LA CUENTA, POR FAVOR!"],
    )
    row = assignment_evidence(assignment).rows[0]
    found = dict(row.phrases)
    assert [ref.ordinal for ref in found["la cuenta, por favor"]] == [3, 5]
    assert [ref.ordinal for ref in found["quisiera un café"]] == [1]
    assert found["¿cuánto cuesta?"] == []
    assert {ref.conversation_id for ref in found["la cuenta, por favor"]} == {conversation.pk}
    assert row.phrases_used == 2


def test_phrases_count_across_attempts(personas: Personas) -> None:
    assignment = make_assignment(personas.classroom)
    make_conversation(personas.alice, assignment, said=["quisiera un café"])
    make_conversation(personas.alice, assignment, said=["¿cuánto cuesta?"])
    assert assignment_evidence(assignment).rows[0].phrases_used == 2


def test_it_counts_corrections_by_kind(personas: Personas) -> None:
    assignment = make_assignment(personas.classroom)
    make_conversation(
        personas.alice,
        assignment,
        said=["yo es de Madrid"],
        corrections=["grammar", "grammar", "vocabulary"],
    )
    row = assignment_evidence(assignment).rows[0]
    assert row.corrections == {"grammar": 2, "vocabulary": 1, "pronunciation": 0, "register": 0}
    assert row.corrections_by_kind[0] == ("grammar", "Grammar", 2)


def test_statuses_follow_speaking_time_and_the_due_date(personas: Personas) -> None:
    assignment = make_assignment(personas.classroom, min_speaking_minutes=2)
    done, busy, idle = (
        personas.alice,
        make_user("dora@example.org"),
        make_user("eve@example.org"),
    )
    for user in (busy, idle):
        personas.classroom.learners.add(user)
    make_conversation(done, assignment, seconds=70)
    make_conversation(done, assignment, seconds=60)  # two attempts add up to the minimum
    make_conversation(busy, assignment, seconds=30)
    evidence = assignment_evidence(assignment)
    status = {row.learner.email: row.progress.status for row in evidence.rows}
    assert status == {
        done.email: AssignmentStatus.DONE,
        busy.email: AssignmentStatus.IN_PROGRESS,
        idle.email: AssignmentStatus.NOT_STARTED,
    }
    assert evidence.counts == {"done": 1, "in_progress": 1, "not_started": 1, "late": 0}
    later = assignment_evidence(assignment, now=assignment.due_at + timedelta(hours=1))
    assert [row.progress.status for row in later.rows if row.learner != done] == [
        AssignmentStatus.LATE
    ] * 2


def test_work_after_the_due_date_is_late_even_when_it_reaches_the_minimum(
    personas: Personas,
) -> None:
    now = timezone.now()
    assignment = make_assignment(
        personas.classroom, starts_at=now - timedelta(days=5), due_at=now - timedelta(days=1)
    )
    make_conversation(personas.alice, assignment, seconds=300, started_at=now - timedelta(hours=2))
    progress = assignment_evidence(assignment).rows[0].progress
    assert progress.status == AssignmentStatus.LATE
    assert progress.met_late
    assert not progress.is_open


def test_only_current_members_are_listed(personas: Personas) -> None:
    assignment = make_assignment(personas.classroom)
    make_conversation(personas.charlie, assignment, said=["quisiera un café"])  # not a member
    assert [row.learner for row in assignment_evidence(assignment).rows] == [personas.alice]


def test_phrases_by_turn_marks_up_one_transcript(alice: User) -> None:
    conversation = make_conversation(alice, said=["Hola", "quisiera un café, por favor"])
    used = phrases_by_turn(["quisiera un café", "por favor", "adiós"], conversation.turns.all())
    assert used == {3: ["quisiera un café", "por favor"]}


@pytest.mark.parametrize("count", [2, 20])
def test_the_evidence_table_takes_the_same_queries_for_2_or_20_learners(
    count: int,
    personas: Personas,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    assignment = make_assignment(personas.classroom, topic=make_topic(slug=f"t{count}"))
    for learner in add_learners(personas.classroom, count, prefix=f"q{count}-"):
        make_conversation(learner, assignment, said=["quisiera un café"], corrections=["grammar"])
    assignment.refresh_from_db()
    with django_assert_num_queries(7):  # topic, members, totals, attempts, turns, corrections,
        # upgrades
        evidence = assignment_evidence(assignment)
    assert len(evidence.rows) == count + 1
    assert sum(row.phrases_used for row in evidence.rows) == count
