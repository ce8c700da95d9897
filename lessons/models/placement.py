"""A spoken placement's outcome: a level per skill, each with its rationale and the learner's
turns it quotes (the evidence), and the level the learner chose from it.

The placement itself is a `Conversation` of kind PLACEMENT; its result is made when the learner
starts it (PENDING), filled in by the text model's assessment once it ends (READY), or left
FAILED with a message that is safe to show, ready for another try.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.choices import Level
from lessons.models.conversations import Conversation
from lessons.models.turns import Turn


class PlacementResult(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the assessment")
        READY = "ready", pgettext_lazy("placement status", "Ready")
        FAILED = "failed", _("The assessment failed")

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="placement"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="placements"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The level the learner said they had when they started: where the tutor began probing.
    declared_level = models.CharField(max_length=2, choices=Level.choices)
    suggested_level = models.CharField(max_length=2, choices=Level.choices, blank=True)
    summary = models.TextField(blank=True)
    # What the learner saw when the assessment failed (never a key or a raw error).
    failure = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    model = models.CharField(max_length=80, blank=True)
    confirmed_level = models.CharField(max_length=2, choices=Level.choices, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    assessed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["learner", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"Placement of {self.learner_id} ({self.status})"


class PlacementSkill(models.Model):
    """One skill the tutor can judge from speech, as CEFR's spoken-language descriptors name
    them."""

    class Skill(models.TextChoices):
        RANGE = "range", pgettext_lazy("speaking skill", "Range")
        ACCURACY = "accuracy", pgettext_lazy("speaking skill", "Accuracy")
        FLUENCY = "fluency", pgettext_lazy("speaking skill", "Fluency")
        INTERACTION = "interaction", pgettext_lazy("speaking skill", "Interaction")

    result = models.ForeignKey(PlacementResult, on_delete=models.CASCADE, related_name="skills")
    skill = models.CharField(max_length=12, choices=Skill.choices)
    level = models.CharField(max_length=2, choices=Level.choices)
    rationale = models.TextField()
    evidence = models.ManyToManyField(Turn, through="PlacementQuote", related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["result", "skill"], name="placement_skill_unique")
        ]

    def __str__(self) -> str:
        return f"{self.skill}: {self.level}"


class PlacementQuote(models.Model):
    """A learner's turn a skill's rationale quotes, and the words it quotes from it."""

    skill = models.ForeignKey(PlacementSkill, on_delete=models.CASCADE, related_name="quotes")
    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="+")
    quote = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["skill", "position"]

    def __str__(self) -> str:
        return f"turn {self.turn_id}: {self.quote[:40]}"
