"""One learner's term in one classroom: assignment by assignment, and week by week.

Only conversations held for this classroom's assignments count; a teacher never sees a learner's
free practice or their work for other classrooms.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from lessons.models import Assignment, Classroom, Conversation, Correction
from lessons.selectors.assignments import (
    EMPTY,
    AssignmentProgress,
    assignment_progress,
    conversation_totals,
)
from lessons.selectors.evidence import correction_counts, phrase_hits, turns_in_assignments

if TYPE_CHECKING:
    from accounts.models import User

MAX_WEEKS = 26


@dataclass(frozen=True)
class AssignmentLine:
    assignment: Assignment
    progress: AssignmentProgress
    phrases_used: int
    corrections: int

    @property
    def phrases_total(self) -> int:
        return len(self.assignment.topic.target_phrases)


@dataclass(frozen=True)
class Week:
    start: datetime
    seconds: float
    conversations: int
    corrections: int

    @property
    def minutes(self) -> float:
        return self.seconds / 60

    @property
    def corrections_per_minute(self) -> float | None:
        return self.corrections / self.minutes if self.seconds else None


@dataclass(frozen=True)
class LearnerTrends:
    learner: User
    classroom: Classroom
    assignments: list[AssignmentLine]
    weeks: list[Week]
    corrections_by_kind: list[tuple[str, int]]  # (label, count) in Correction.Kind order

    @property
    def most_minutes(self) -> float:
        return max((week.minutes for week in self.weeks), default=0.0)

    @property
    def total_minutes(self) -> float:
        return sum(week.minutes for week in self.weeks)


def learner_trends(
    classroom: Classroom, learner: User, *, now: datetime | None = None
) -> LearnerTrends:
    now = now or timezone.now()
    assignments = list(
        classroom.assignments.filter(starts_at__lte=now).select_related("topic").order_by("due_at")
    )
    ids = [a.pk for a in assignments]
    lines = _assignment_lines(assignments, learner, now)
    counts = correction_counts(ids, [learner.pk]).get(learner.pk, {})
    kinds = [(str(label), counts.get(kind, 0)) for kind, label in Correction.Kind.choices]
    start = min([classroom.created_at, *(a.starts_at for a in assignments)])
    weeks = _weeks(ids, learner, start, now)
    return LearnerTrends(learner, classroom, lines, weeks, kinds)


def _assignment_lines(
    assignments: list[Assignment], learner: User, now: datetime
) -> list[AssignmentLine]:
    ids = [a.pk for a in assignments]
    totals = conversation_totals(ids, learners=[learner.pk])
    turns_by_assignment = defaultdict(list)
    for owner, turn in turns_in_assignments(ids, [learner.pk]):
        turns_by_assignment[turn.assignment_id].append((owner, turn))
    corrections = dict(
        Correction.objects.filter(
            turn__conversation__assignment__in=ids, turn__conversation__learner=learner
        )
        .values_list("turn__conversation__assignment_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    lines = []
    for assignment in assignments:
        hits = phrase_hits(assignment.topic.target_phrases, turns_by_assignment[assignment.pk])
        lines.append(
            AssignmentLine(
                assignment,
                assignment_progress(
                    assignment, totals.get((assignment.pk, learner.pk), EMPTY), now=now
                ),
                sum(1 for refs in hits.get(learner.pk, {}).values() if refs),
                corrections.get(assignment.pk, 0),
            )
        )
    return lines


def _weeks(assignments: list[int], learner: User, start: datetime, now: datetime) -> list[Week]:
    conversations = Conversation.objects.filter(assignment__in=assignments, learner=learner)
    spoken: dict[datetime, dict[str, Any]] = {
        row["week"]: dict(row)
        for row in conversations.annotate(week=TruncWeek("started_at"))
        .values("week")
        .annotate(seconds=Sum("learner_seconds"), n=Count("id"))
        .order_by()
    }
    corrected = dict(
        Correction.objects.filter(turn__conversation__in=conversations)
        .annotate(week=TruncWeek("turn__conversation__started_at"))
        .values_list("week")
        .annotate(n=Count("id"))
        .order_by()
    )
    weeks = []
    for monday in _mondays(start, now):
        row = spoken.get(monday, {})
        weeks.append(
            Week(monday, row.get("seconds") or 0.0, row.get("n", 0), corrected.get(monday, 0))
        )
    return weeks


def _mondays(start: datetime, now: datetime) -> list[datetime]:
    """Midnight of each Monday from start's week to now's, in the current time zone."""
    local = timezone.localtime(start)
    monday = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    mondays = []
    while monday <= now:
        mondays.append(monday)
        monday = timezone.make_aware(monday.replace(tzinfo=None) + timedelta(days=7))
    return mondays[-MAX_WEEKS:]
