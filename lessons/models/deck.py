"""The learner's deck: phrase cards, their reviews, drill answers and model-answer audio."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from accounts.choices import TARGET_LANGUAGES
from lessons.models.conversations import Conversation
from lessons.models.turns import Correction, Turn, Upgrade
from lessons.querysets import PhraseQuerySet


class Phrase(models.Model):
    """A card in the learner's deck, scheduled with FSRS (state mirrors `fsrs.Card`)."""

    class State(models.IntegerChoices):
        LEARNING = 1, pgettext_lazy("flashcard state", "Learning")
        REVIEW = 2, pgettext_lazy("flashcard state", "Review")
        RELEARNING = 3, pgettext_lazy("flashcard state", "Relearning")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phrases"
    )
    language = models.CharField(max_length=8, choices=TARGET_LANGUAGES)
    text = models.CharField(max_length=300)
    translation = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="phrases"
    )
    source_correction = models.OneToOneField(
        Correction, null=True, blank=True, on_delete=models.SET_NULL, related_name="phrase"
    )
    source_upgrade = models.OneToOneField(
        Upgrade, null=True, blank=True, on_delete=models.SET_NULL, related_name="phrase"
    )
    source_turn = models.ForeignKey(
        Turn, null=True, blank=True, on_delete=models.SET_NULL, related_name="phrases"
    )
    # Every conversation that noted this card, the first one and any later one that noted the
    # same text again (the deck keeps one card per text): a conversation's record lists what it
    # noted, new cards or not (lessons.selectors.counts).
    noted_in = models.ManyToManyField(Conversation, blank=True, related_name="noted_phrases")
    created_at = models.DateTimeField(default=timezone.now)
    # FSRS scheduling state.
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True, default=0)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(default=timezone.now, db_index=True)
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)

    objects: ClassVar[PhraseQuerySet] = PhraseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "language", "text"], name="phrase_unique_per_learner"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Review(models.Model):
    """One grade given to a phrase card (the FSRS review log)."""

    class Rating(models.IntegerChoices):
        AGAIN = 1, pgettext_lazy("flashcard grade", "Again")
        HARD = 2, pgettext_lazy("flashcard grade", "Hard")
        GOOD = 3, pgettext_lazy("flashcard grade", "Good")
        EASY = 4, pgettext_lazy("flashcard grade", "Easy")

    phrase = models.ForeignKey(Phrase, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.phrase} graded {self.get_rating_display()}"


class DrillAttempt(models.Model):
    """One answer to a card checked on the drill page: spoken (heard by Gemini) or typed.

    Kept for the learner's own record, and to count spoken checks per learner and per address
    for their rate limits (settings DRILL_CHECKS_PER_HOUR, DRILL_CHECKS_PER_IP_PER_HOUR)."""

    class Mode(models.TextChoices):
        SPOKEN = "spoken", pgettext_lazy("drill answer", "Spoken")
        TYPED = "typed", pgettext_lazy("drill answer", "Typed")

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drill_attempts"
    )
    phrase = models.ForeignKey(Phrase, on_delete=models.CASCADE, related_name="attempts")
    mode = models.CharField(max_length=8, choices=Mode.choices)
    heard = models.CharField(max_length=500, blank=True)
    matched = models.BooleanField(default=False)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} answer to {self.phrase_id}: {self.heard!r}"


class PhraseAudio(models.Model):
    """A card's model answer read aloud by the server's text-to-speech, kept so that each card
    is synthesised once. Goes with the card (and so with the account)."""

    phrase = models.OneToOneField(Phrase, on_delete=models.CASCADE, related_name="audio")
    text = models.CharField(max_length=300)  # what was spoken: a changed card speaks again
    voice = models.CharField(max_length=40)
    model = models.CharField(max_length=80)
    wav = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Audio of {self.text!r} ({self.voice})"
