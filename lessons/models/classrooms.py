"""Classrooms, who belongs to them, and what their teacher assigns."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.choices import TARGET_LANGUAGES, CorrectionStyle, Level
from lessons.models.topics import Topic

# Join codes avoid look-alike characters (0/O, 1/I/L) so they can be read aloud in class.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))


class Classroom(models.Model):
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms_taught"
    )
    name = models.CharField(max_length=120)
    language = models.CharField(max_length=8, choices=TARGET_LANGUAGES)
    level_min = models.CharField(max_length=2, choices=Level.choices, default=Level.A1)
    level_max = models.CharField(max_length=2, choices=Level.choices, default=Level.C2)
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    learners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="classrooms"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # At the end of term: no joining, no new assignments; the evidence stays for its retention.
    archived_at = models.DateTimeField(null=True, blank=True)
    # Privacy for this class, within the operator's settings (lessons/services/privacy.py): a
    # class can keep less than the site, never more. None: the site's value.
    store_audio = models.BooleanField(default=True)
    audio_retention_days = models.PositiveSmallIntegerField(null=True, blank=True)
    transcript_retention_days = models.PositiveSmallIntegerField(null=True, blank=True)
    tutor_memory = models.BooleanField(default=True)
    teacher_listens = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level_min__lte=F("level_max")), name="classroom_level_range_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["classroom", "learner"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.classroom}"


class Assignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    # RESTRICT, not PROTECT: a topic stays while assigned, yet deleting its teacher (whose
    # classrooms, and so assignments, go too) must not fail.
    topic = models.ForeignKey(Topic, on_delete=models.RESTRICT, related_name="assignments")
    instructions = models.TextField(blank=True)
    starts_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    min_speaking_minutes = models.PositiveSmallIntegerField(default=5)
    correction_style = models.CharField(max_length=10, choices=CorrectionStyle.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)  # hidden from learners, kept

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gt=F("starts_at")), name="assignment_due_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic.title} · {self.classroom.name}"
