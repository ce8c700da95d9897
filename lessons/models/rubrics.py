"""A teacher's rubric for an assignment, and each learner's score on each criterion: what the
tutor proposed (with the turns that justify it) and what the teacher decided."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lessons.models.classrooms import Assignment


class Rubric(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="rubric")
    level = models.CharField(max_length=2)  # the CEFR preset it came from
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Rubric ({self.level}) for {self.assignment}"


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=30)
    name = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField()
    descriptors = models.JSONField()  # one per point, 0 upwards

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "key"], name="criterion_key_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def max_points(self) -> int:
        return len(self.descriptors) - 1


class CriterionScore(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    proposed_points = models.PositiveSmallIntegerField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    # [{"conversation": "<uuid>", "ordinal": 3, "quote": "…"}]: only the learner's own turns
    evidence = models.JSONField(default=list, blank=True)
    points = models.PositiveSmallIntegerField(null=True, blank=True)  # the teacher's decision
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["criterion", "learner"], name="criterion_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.criterion}: {self.points}"
