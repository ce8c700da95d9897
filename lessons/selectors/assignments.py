"""Where learners stand on assignments: not started, in progress, done or late, and the
assignments a learner has open or has done (their home page)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lessons.models import Assignment, Conversation

if TYPE_CHECKING:
    from accounts.models import User


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", pgettext_lazy("assignment status", "In progress")
    DONE = "done", pgettext_lazy("assignment status", "Done")
    LATE = "late", pgettext_lazy("assignment status", "Late")


@dataclass(frozen=True)
class AssignmentProgress:
    """One learner's standing on one assignment."""

    status: AssignmentStatus
    seconds: float  # the learner's own speaking time, all attempts
    attempts: int
    met_late: bool  # the minimum was reached, but only after the due date

    @property
    def is_open(self) -> bool:
        """Still something to do: shown on the learner's home page."""
        return self.status in (AssignmentStatus.NOT_STARTED, AssignmentStatus.IN_PROGRESS) or (
            self.status == AssignmentStatus.LATE and not self.met_late
        )

    @property
    def minutes(self) -> float:
        return self.seconds / 60


@dataclass(frozen=True)
class AssignmentTotals:
    """One learner's conversations for one assignment, summed."""

    seconds: float = 0.0
    seconds_by_due: float = 0.0
    attempts: int = 0
    last_started: datetime | None = None


EMPTY = AssignmentTotals()
# Overdue work stays on the learner's home page this long, marked late.
LATE_GRACE = timedelta(days=14)


def conversation_totals(
    assignments: Iterable[Assignment | int], *, learners: Iterable[int] | None = None
) -> dict[tuple[int, int], AssignmentTotals]:
    """{(assignment id, learner id): AssignmentTotals} in one query."""
    conversations = Conversation.objects.filter(
        assignment__in=list(assignments), learner__isnull=False
    )
    if learners is not None:
        conversations = conversations.filter(learner__in=list(learners))
    rows: Any = conversations.values("assignment_id", "learner_id").annotate(
        seconds=Sum("learner_seconds"),
        seconds_by_due=Sum("learner_seconds", filter=Q(started_at__lte=F("assignment__due_at"))),
        attempts=Count("id"),
        last_started=Max("started_at"),
    )
    return {
        (row["assignment_id"], row["learner_id"]): AssignmentTotals(
            row["seconds"] or 0.0,
            row["seconds_by_due"] or 0.0,
            row["attempts"],
            row["last_started"],
        )
        for row in rows.order_by()
    }


def assignment_progress(
    assignment: Assignment, totals: AssignmentTotals, *, now: datetime
) -> AssignmentProgress:
    """Speaking time adds up over attempts; only conversations started by the due date count
    towards "done", and anything short of that once the date has passed is "late"."""
    needed = max(1, assignment.min_speaking_minutes * 60)
    if totals.seconds_by_due >= needed:
        status = AssignmentStatus.DONE
    elif now < assignment.due_at:
        status = AssignmentStatus.IN_PROGRESS if totals.attempts else AssignmentStatus.NOT_STARTED
    else:
        status = AssignmentStatus.LATE
    met_late = status == AssignmentStatus.LATE and totals.seconds >= needed
    return AssignmentProgress(status, totals.seconds, totals.attempts, met_late)


@dataclass(frozen=True)
class OpenAssignment:
    """One assignment as its learner sees it on the home page."""

    assignment: Assignment
    progress: AssignmentProgress

    @property
    def progress_percent(self) -> int:
        needed = max(1, self.assignment.min_speaking_minutes * 60)
        return min(100, round(100 * self.progress.seconds / needed))


@dataclass(frozen=True)
class HomeAssignments:
    """The learner's assignments on their home page: what is left to do, and what is done."""

    open: list[OpenAssignment]
    done: list[OpenAssignment]  # the minimum reached (by the due date or after it)


def home_assignments_for(user: User, *, now: datetime | None = None) -> HomeAssignments:
    """The learner's started assignments, open first (overdue ones for a while), then the ones
    they finished, until LATE_GRACE after their due date: finished work stays in sight.

    Two queries whatever the number of classrooms; only the learner's own conversations are read.
    """
    now = now or timezone.now()
    assignments = list(
        Assignment.objects.filter(
            classroom__learners=user,
            starts_at__lte=now,
            due_at__gt=now - LATE_GRACE,
            archived_at__isnull=True,  # archived work, or a class archived at end of term
            classroom__archived_at__isnull=True,
        )
        .select_related("topic", "classroom")
        .order_by("due_at")
    )
    totals = conversation_totals(assignments, learners=[user.pk])
    found = HomeAssignments(open=[], done=[])
    for assignment in assignments:
        total = totals.get((assignment.pk, user.pk), EMPTY)
        item = OpenAssignment(assignment, assignment_progress(assignment, total, now=now))
        (found.open if item.progress.is_open else found.done).append(item)
    return found


def open_assignments_for(user: User, *, now: datetime | None = None) -> list[OpenAssignment]:
    """The learner's started assignments with something left to do (overdue ones for a while)."""
    return home_assignments_for(user, now=now).open
