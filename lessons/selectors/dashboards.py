"""The figures on a teacher's start page and on a classroom's page, in a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, F
from django.utils import timezone

from lessons.models import Assignment, Classroom, Membership, Topic
from lessons.selectors.assignments import (
    EMPTY,
    AssignmentStatus,
    assignment_progress,
    conversation_totals,
)

if TYPE_CHECKING:
    from accounts.models import User

RECENT = timedelta(days=7)  # past-due assignments stay on the start page this long


@dataclass
class AssignmentSummary:
    assignment: Assignment
    counts: Counter[str] = field(default_factory=Counter)
    learners: int = 0

    @property
    def done(self) -> int:
        return self.counts[AssignmentStatus.DONE]

    @property
    def is_open(self) -> bool:
        return self.assignment.starts_at <= timezone.now() < self.assignment.due_at


@dataclass
class LearnerSummary:
    membership: Membership
    seconds: float = 0.0
    attempts: int = 0
    done: int = 0
    late: int = 0
    last_started: datetime | None = None

    @property
    def learner(self) -> User:
        return self.membership.learner

    @property
    def minutes(self) -> float:
        return self.seconds / 60


@dataclass
class ClassroomOverview:
    classroom: Classroom
    learners: list[LearnerSummary]
    assignments: list[AssignmentSummary]


def classroom_overview(classroom: Classroom, *, now: datetime | None = None) -> ClassroomOverview:
    """Learners with their totals over this classroom's assignments, and assignments with counts
    by status. Three queries whatever the class size."""
    now = now or timezone.now()
    members = list(
        Membership.objects.filter(classroom=classroom).select_related("learner").order_by("id")
    )
    members.sort(key=lambda m: m.learner.name.casefold())
    assignments = list(  # archived ones last
        classroom.assignments.select_related("topic").order_by(
            F("archived_at").asc(nulls_first=True), "-due_at"
        )
    )
    totals = conversation_totals(assignments, learners=[m.learner_id for m in members])
    learners = {m.learner_id: LearnerSummary(m) for m in members}
    summaries = []
    for assignment in assignments:
        summary = AssignmentSummary(assignment, learners=len(members))
        for learner_id, row in learners.items():
            total = totals.get((assignment.pk, learner_id), EMPTY)
            status = assignment_progress(assignment, total, now=now).status
            summary.counts[status] += 1
            _add(row, total.seconds, total.attempts, total.last_started, status)
        summaries.append(summary)
    return ClassroomOverview(classroom, list(learners.values()), summaries)


def _add(
    row: LearnerSummary, seconds: float, attempts: int, last: datetime | None, status: str
) -> None:
    row.seconds += seconds
    row.attempts += attempts
    row.done += status == AssignmentStatus.DONE
    row.late += status == AssignmentStatus.LATE
    if last and (row.last_started is None or last > row.last_started):
        row.last_started = last


@dataclass
class TeacherOverview:
    classrooms: Sequence[Classroom]  # annotated with learner_count
    assignments: list[AssignmentSummary]
    topic_count: int


def teacher_overview(teacher: User, *, now: datetime | None = None) -> TeacherOverview:
    """Classrooms (with learner counts) and current assignments (with counts by status)."""
    now = now or timezone.now()
    classrooms = list(  # active ones first, archived ones after
        Classroom.objects.filter(teacher=teacher)
        .annotate(learner_count=Count("learners"))
        .order_by(F("archived_at").asc(nulls_first=True), "name")
    )
    assignments = list(
        Assignment.objects.filter(
            classroom__teacher=teacher,
            due_at__gte=now - RECENT,
            archived_at__isnull=True,
            classroom__archived_at__isnull=True,
        )
        .select_related("topic", "classroom")
        .order_by("due_at")
    )
    members: dict[int, list[int]] = defaultdict(list)
    for classroom_id, learner_id in Membership.objects.filter(
        classroom__teacher=teacher
    ).values_list("classroom_id", "learner_id"):
        members[classroom_id].append(learner_id)
    totals = conversation_totals(assignments)
    summaries = []
    for assignment in assignments:
        learner_ids = members[assignment.classroom_id]
        summary = AssignmentSummary(assignment, learners=len(learner_ids))
        for learner_id in learner_ids:
            total = totals.get((assignment.pk, learner_id), EMPTY)
            summary.counts[assignment_progress(assignment, total, now=now).status] += 1
        summaries.append(summary)
    topic_count = Topic.objects.filter(author=teacher).count()
    return TeacherOverview(classrooms, summaries, topic_count)
