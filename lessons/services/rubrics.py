"""Rubrics: attaching a CEFR preset to an assignment, storing the tutor's proposals (only
evidence that is the learner's own words survives), the teacher's decisions, and the total
that goes to the gradebook and the CSV."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from lessons.models import Assignment, Criterion, CriterionScore, Rubric, Turn
from lessons.rubric_presets import preset

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class RubricTotal:
    points: int
    maximum: int
    decided: int  # criteria the teacher has decided
    criteria: int

    @property
    def complete(self) -> bool:
        return self.criteria > 0 and self.decided == self.criteria

    @property
    def percent(self) -> float:
        return round(100 * self.points / self.maximum, 1) if self.maximum else 0.0


@transaction.atomic
def rubric_attach(*, assignment: Assignment, level: str) -> Rubric:
    """The preset for `level`, replacing any rubric the assignment had (and its scores)."""
    Rubric.objects.filter(assignment=assignment).delete()
    rubric = Rubric.objects.create(assignment=assignment, level=level)
    Criterion.objects.bulk_create(
        Criterion(rubric=rubric, key=c.key, name=c.name, order=i, descriptors=list(c.levels))
        for i, c in enumerate(preset(level))
    )
    return rubric


def learner_turns(assignment: Assignment, learner: User) -> dict[tuple[str, int], Turn]:
    """The learner's own turns in their conversations for the assignment, by (conversation
    id, ordinal): the only turns a rubric may quote."""
    turns = Turn.objects.filter(
        conversation__assignment=assignment,
        conversation__learner=learner,
        speaker=Turn.Speaker.LEARNER,
    ).only("conversation_id", "ordinal", "text")
    return {(str(t.conversation_id), t.ordinal): t for t in turns}


@transaction.atomic
def proposals_store(
    *, assignment: Assignment, learner: User, proposals: list[dict[str, Any]]
) -> int:
    """Keep the tutor's proposals: {"criterion": key, "points": n, "rationale": str,
    "evidence": [{"conversation": id, "ordinal": n}]}. Points outside the criterion's range
    and criteria the rubric lacks are dropped; evidence that is not the learner's own turn is
    dropped (a model may invent quotes), and quotes are taken from the stored turn, never
    from the model. Returns how many criteria got a proposal."""
    criteria = {c.key: c for c in Criterion.objects.filter(rubric__assignment=assignment)}
    turns = learner_turns(assignment, learner)
    stored = 0
    for proposal in proposals:
        criterion = criteria.get(str(proposal.get("criterion", "")))
        points = proposal.get("points")
        if criterion is None or not isinstance(points, int):
            continue
        if not 0 <= points <= criterion.max_points:
            continue
        evidence: list[dict[str, Any]] = []
        for item in proposal.get("evidence") or []:
            key = (str(item.get("conversation", "")), item.get("ordinal"))
            turn = turns.get(key)  # type: ignore[arg-type]
            if turn is not None and all((e["conversation"], e["ordinal"]) != key for e in evidence):
                evidence.append({"conversation": key[0], "ordinal": key[1], "quote": turn.text})
        CriterionScore.objects.update_or_create(
            criterion=criterion,
            learner=learner,
            defaults={
                "proposed_points": points,
                "rationale": str(proposal.get("rationale", ""))[:1000],
                "evidence": evidence[:5],
            },
        )
        stored += 1
    return stored


@transaction.atomic
def decide(
    *, assignment: Assignment, learner: User, decisions: dict[str, tuple[int, str]]
) -> RubricTotal:
    """The teacher's points (and comment) per criterion key; the total afterwards."""
    criteria = {c.key: c for c in Criterion.objects.filter(rubric__assignment=assignment)}
    now = timezone.now()
    for key, (points, comment) in decisions.items():
        criterion = criteria[key]
        if not 0 <= points <= criterion.max_points:
            raise ValueError(f"{criterion.name}: {points} is out of range")
        CriterionScore.objects.update_or_create(
            criterion=criterion,
            learner=learner,
            defaults={"points": points, "comment": comment[:2000], "decided_at": now},
        )
    return total_of(assignment, learner)


def total_of(assignment: Assignment, learner: User | int) -> RubricTotal:
    learner_id = learner if isinstance(learner, int) else learner.pk
    criteria = list(Criterion.objects.filter(rubric__assignment=assignment))
    return rubric_totals(criteria, [learner_id])[learner_id]


def rubric_totals(
    criteria: list[Criterion], learners: list[User] | list[int]
) -> dict[int, RubricTotal]:
    """Each learner's total, by id, in one query."""
    ids = [learner if isinstance(learner, int) else learner.pk for learner in learners]
    decided: dict[int, list[int]] = {learner_id: [] for learner_id in ids}
    for learner_id, points in CriterionScore.objects.filter(
        criterion__in=criteria, learner_id__in=ids, points__isnull=False
    ).values_list("learner_id", "points"):
        decided[learner_id].append(points or 0)  # never None: filtered
    maximum = sum(c.max_points for c in criteria)
    return {
        learner_id: RubricTotal(sum(points), maximum, len(points), len(criteria))
        for learner_id, points in decided.items()
    }


def conversation_ids(assignment: Assignment, learner: User) -> list[UUID]:
    return list(
        assignment.conversations.filter(learner=learner)
        .order_by("started_at")
        .values_list("pk", flat=True)
    )
