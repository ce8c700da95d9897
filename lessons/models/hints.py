"""Help asked for in a conversation: the replies suggested when the learner pressed "What
could I say?" (tutor/hints.py). A hint belongs to the point in the conversation it was asked
at (`next_ordinal`: what had been said by then); the learner turn that follows it is the one
that needed help, worked out when it is read (lessons/selectors/hints.py)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from lessons.models.conversations import Conversation


class Hint(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="hints")
    # The ordinal the next stored turn would get when the hint was asked (0: nothing said yet).
    # One hint per point: asking again before anyone speaks gets the same suggestions back.
    next_ordinal = models.PositiveIntegerField()
    suggestions = models.JSONField(default=list)  # [{"text": ..., "gloss": ...}], 1-3 of them
    # Which suggestion the learner put in the typing box, if any (an index into suggestions).
    chosen = models.PositiveSmallIntegerField(null=True, blank=True)
    # Model calls made for this point (a failed call is retried on the same row): the hourly
    # limits count these, so failing calls are not free.
    attempts = models.PositiveSmallIntegerField(default=1)
    ip = models.GenericIPAddressField(null=True, blank=True)  # the per-address hint limit
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["conversation", "next_ordinal"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "next_ordinal"], name="hint_one_per_point"
            ),
        ]

    def __str__(self) -> str:
        return f"Hint before turn {self.next_ordinal} of {self.conversation_id}"
