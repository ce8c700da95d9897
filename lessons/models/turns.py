"""What was said in a conversation: its turns, their corrections and upgrades, and teachers'
comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lessons.models.conversations import Conversation


class Turn(models.Model):
    class Speaker(models.TextChoices):
        LEARNER = "learner", _("Learner")
        TUTOR = "tutor", _("Tutor")
        # Another learner in a group conversation: their words, never this learner's.
        PEER = "peer", pgettext_lazy("another learner in a group conversation", "Peer")

    class Source(models.TextChoices):
        SPEECH = "speech", pgettext_lazy("how a line was given", "Speech")
        TYPED = "typed", pgettext_lazy("how a line was given", "Typed")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    ordinal = models.PositiveIntegerField()
    speaker = models.CharField(max_length=8, choices=Speaker.choices)
    # The peer's display name, as it was when they spoke; blank for the learner and the tutor.
    speaker_name = models.CharField(max_length=150, blank=True)
    text = models.TextField()
    started_ms = models.PositiveIntegerField(default=0)
    ended_ms = models.PositiveIntegerField(default=0)
    interrupted = models.BooleanField(default=False)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.SPEECH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["conversation", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "ordinal"], name="turn_ordinal_unique"),
            models.CheckConstraint(
                condition=Q(ended_ms__gte=F("started_ms")), name="turn_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(speaker="peer") | Q(speaker_name=""), name="turn_speaker_name_peer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ordinal}. {self.speaker}: {self.text[:40]}"

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def correction_count_field(kind: str) -> str:
    """The Conversation column counting its corrections of `kind` (a Correction.Kind value)."""
    return f"{Correction.Kind(kind).value}_corrections"


class Correction(models.Model):
    class Kind(models.TextChoices):
        GRAMMAR = "grammar", _("Grammar")
        VOCABULARY = "vocabulary", _("Vocabulary")
        PRONUNCIATION = "pronunciation", _("Pronunciation")
        REGISTER = "register", pgettext_lazy("kind of correction", "Register")

    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="corrections")
    original = models.TextField()
    corrected = models.TextField()
    explanation = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.GRAMMAR)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["turn", "id"]

    def __str__(self) -> str:
        return f"{self.original} → {self.corrected}"


class Upgrade(models.Model):
    """ "Say it better": a learner turn that was correct but plain, and a more natural or
    higher-level way to say it. At most one per turn (the tutor is told so, the live bridge
    refuses a second, and the constraint holds it here)."""

    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="upgrades")
    original = models.TextField()
    upgraded = models.TextField()
    explanation = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["turn", "id"]
        constraints = [models.UniqueConstraint(fields=["turn"], name="upgrade_one_per_turn")]

    def __str__(self) -> str:
        return f"{self.original} ⇒ {self.upgraded}"


class Comment(models.Model):
    """A teacher's note on a learner's conversation, shown to the learner on the review page."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    text = models.TextField(max_length=2000)
    turn = models.ForeignKey(Turn, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.conversation_id}"
