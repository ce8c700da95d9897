"""A conversation: who had it, on what, its state and its running totals."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.choices import TARGET_LANGUAGES, CorrectionStyle, Level
from lessons.models.classrooms import Assignment
from lessons.models.topics import Topic
from lessons.querysets import ConversationQuerySet


class Conversation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("conversation status", "In progress")
        ENDED = "ended", pgettext_lazy("conversation status", "Ended")
        FAILED = "failed", pgettext_lazy("conversation status", "Failed")

    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Practice")
        # A few minutes in which the tutor probes the learner's level (lessons.models.placement).
        PLACEMENT = "placement", _("Placement")
        # This learner's copy of a group conversation (lessons.models.groups, docs/groups.md).
        GROUP = "group", _("Group")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Null for an anonymous trial, which belongs to a browser session until sign-up.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conversations",
    )
    trial_session_key = models.CharField(max_length=64, blank=True, db_index=True)
    trial_ip = models.GenericIPAddressField(null=True, blank=True)
    # Where a signed-in learner started it from, for the per-IP start limit; cleared once the
    # limit's hour is over (lessons.services.retention), like trial_ip after its window.
    start_ip = models.GenericIPAddressField(null=True, blank=True)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    assignment = models.ForeignKey(
        Assignment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PRACTICE)
    # The room of a group conversation; kept null (not deleted) if the room goes, so the
    # learner's own record stays theirs.
    group_room = models.ForeignKey(
        "lessons.GroupRoom",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    language = models.CharField(max_length=8, choices=TARGET_LANGUAGES)
    level = models.CharField(max_length=2, choices=Level.choices)
    correction_style = models.CharField(
        max_length=10, choices=CorrectionStyle.choices, default=CorrectionStyle.RECAST
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    end_reason = models.CharField(max_length=40, blank=True)
    model = models.CharField(max_length=80, blank=True)
    voice = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The trial clock starts at the first audio the server receives, never at page load.
    first_audio_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The runtime's heartbeat (and every stored turn) moves this on; a conversation still
    # active with an old value has no live process behind it (lessons.services.sweep).
    last_activity_at = models.DateTimeField(null=True, blank=True)
    reconnect_count = models.PositiveIntegerField(default=0)
    learner_seconds = models.FloatField(default=0.0)
    tutor_seconds = models.FloatField(default=0.0)
    # Running totals of the stored turns (lessons.services.totals): the learner's words and each
    # speaker's summed turn time, so a whole history is summed without reading every turn.
    learner_words = models.PositiveIntegerField(default=0)
    learner_turn_ms = models.PositiveIntegerField(default=0)
    tutor_turn_ms = models.PositiveIntegerField(default=0)
    # And of its corrections, one per kind (Correction.Kind), named "<kind>_corrections".
    grammar_corrections = models.PositiveIntegerField(default=0)
    vocabulary_corrections = models.PositiveIntegerField(default=0)
    pronunciation_corrections = models.PositiveIntegerField(default=0)
    register_corrections = models.PositiveIntegerField(default=0)
    # And of its upgrades ("say it better", lessons.models.Upgrade).
    upgrades = models.PositiveIntegerField(default=0)
    degraded = models.BooleanField(default=False)
    latency_p50_ms = models.PositiveIntegerField(null=True, blank=True)
    latency_p95_ms = models.PositiveIntegerField(null=True, blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    response_tokens = models.PositiveIntegerField(default=0)
    total_tokens = models.PositiveIntegerField(default=0)
    # Phrases the tutor noted during an anonymous trial, carded when the trial is attached.
    trial_phrases = models.JSONField(default=list, blank=True)
    # The Live session's resumption handle, left by a server process that handed the
    # conversation to another (lessons.services.handover), and the turn count it covers:
    # the next owner resumes from it only if no turn was stored since, and clears it.
    live_handle = models.TextField(blank=True)
    live_handle_turns = models.PositiveIntegerField(null=True, blank=True)
    # When the learner's memory (lessons.models.memory) took this conversation in, or was
    # told to skip it; None: not yet, so the next update after any ending tries again.
    remembered_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[ConversationQuerySet] = ConversationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["learner", "-started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(learner__isnull=False) | ~Q(trial_session_key=""),
                name="conversation_has_owner",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="conversation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(group_room__isnull=True) | Q(kind="group"),
                name="conversation_group_room_is_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} conversation {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("tutor:conversation", args=[self.pk])

    @property
    def is_trial(self) -> bool:
        return self.learner_id is None

    @property
    def is_placement(self) -> bool:
        return self.kind == self.Kind.PLACEMENT

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP

    @property
    def duration_seconds(self) -> float:
        end = self.ended_at or timezone.now()
        return max(0.0, (end - self.started_at).total_seconds())
