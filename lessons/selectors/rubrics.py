"""A learner's rubric for an assignment as the grading page and the learner see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lessons.models import Assignment, Criterion, CriterionScore
from lessons.services.rubrics import RubricTotal, total_of

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class CriterionRow:
    criterion: Criterion
    score: CriterionScore | None

    @property
    def levels(self) -> list[tuple[int, str]]:
        return list(enumerate(self.criterion.descriptors))

    @property
    def decided_descriptor(self) -> str:
        """The descriptor of the teacher's points ("" before they decide)."""
        if self.score is None or self.score.points is None:
            return ""
        return str(self.criterion.descriptors[self.score.points])

    @property
    def chosen(self) -> int | None:
        """What the form shows ticked: the teacher's decision, else the tutor's proposal."""
        if self.score is None:
            return None
        return self.score.points if self.score.points is not None else self.score.proposed_points


@dataclass
class LearnerRubric:
    rows: list[CriterionRow]
    total: RubricTotal


def learner_rubric(assignment: Assignment, learner: User) -> LearnerRubric | None:
    criteria = list(Criterion.objects.filter(rubric__assignment=assignment))
    if not criteria:
        return None
    scores = {
        s.criterion_id: s
        for s in CriterionScore.objects.filter(criterion__in=criteria, learner=learner)
    }
    rows = [CriterionRow(c, scores.get(c.pk)) for c in criteria]
    return LearnerRubric(rows, total_of(assignment, learner))
