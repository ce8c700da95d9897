"""What the tutor remembers about a learner between conversations: a few short lines.

Written after a conversation ends (tutor/conversation/memory.py through
lessons.services.memory), shown and edited on the learner's profile, put into the next system
instruction. Only its learner reads it: no teacher page or selector does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lessons.models.conversations import Conversation

# The budget: what the tutor is given at each start stays small (a few hundred tokens).
MEMORY_MAX_LINES = 12
MEMORY_MAX_CHARS = 600  # all lines together
MEMORY_LINE_CHARS = 120  # one line


class MemoryKind(models.TextChoices):
    INTEREST = "interest", _("Interest")
    PERSON = "person", _("Person")
    PLACE = "place", _("Place")
    GOAL = "goal", _("Goal")
    ERROR = "error", _("Recurring error")
    PHRASE = "phrase", _("Phrase being practised")


class MemoryLine(models.Model):
    Kind = MemoryKind

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memory_lines"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=MEMORY_LINE_CHARS)
    # The conversation the line came from (None once that conversation is deleted, or for a
    # line the learner wrote themselves).
    source = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Lower comes first: the order of usefulness the update gave, kept when the learner edits.
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["learner", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=MemoryKind.values),
                name="memoryline_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"
