"""Where a learner stands on one assignment: not started, in progress, done or late."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Count, F, Max, Q, Sum

from lessons.models import Assignment, Conversation


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    LATE = "late", "Late"


@dataclass(frozen=True)
class Progress:
    status: Status
    seconds: float  # the learner's own speaking time, all attempts
    attempts: int
    met_late: bool  # the minimum was reached, but only after the due date

    @property
    def is_open(self) -> bool:
        """Still something to do: shown on the learner's home page."""
        return self.status in (Status.NOT_STARTED, Status.IN_PROGRESS) or (
            self.status == Status.LATE and not self.met_late
        )

    @property
    def minutes(self) -> float:
        return self.seconds / 60


@dataclass(frozen=True)
class Totals:
    """One learner's conversations for one assignment, summed."""

    seconds: float = 0.0
    seconds_by_due: float = 0.0
    attempts: int = 0
    last_started: datetime | None = None


EMPTY = Totals()


def conversation_totals(
    assignments: Iterable[Assignment | int], *, learners: Iterable[int] | None = None
) -> dict[tuple[int, int], Totals]:
    """{(assignment id, learner id): Totals} in one query."""
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
        (row["assignment_id"], row["learner_id"]): Totals(
            row["seconds"] or 0.0,
            row["seconds_by_due"] or 0.0,
            row["attempts"],
            row["last_started"],
        )
        for row in rows.order_by()
    }


def progress_of(assignment: Assignment, totals: Totals, *, now: datetime) -> Progress:
    """Speaking time adds up over attempts; only conversations started by the due date count
    towards "done", and anything short of that once the date has passed is "late"."""
    needed = max(1, assignment.min_speaking_minutes * 60)
    if totals.seconds_by_due >= needed:
        status = Status.DONE
    elif now < assignment.due_at:
        status = Status.IN_PROGRESS if totals.attempts else Status.NOT_STARTED
    else:
        status = Status.LATE
    met_late = status == Status.LATE and totals.seconds >= needed
    return Progress(status, totals.seconds, totals.attempts, met_late)
