"""What ties a learning platform's course (LTI 1.3, through django-lti's `lti_tool` models) to
Tertulia: a course is a classroom, an activity deep-linked into it is an assignment, and each
score sent to the platform's gradebook is kept with its outcome (lessons/lti/)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from lti_tool.models import LtiContext

from lessons.models.classrooms import Assignment, Classroom


class LtiCourse(models.Model):
    """A platform's course (LTI context) and the classroom it is in Tertulia."""

    context = models.OneToOneField(LtiContext, on_delete=models.CASCADE, related_name="course")
    classroom = models.OneToOneField(Classroom, on_delete=models.CASCADE, related_name="course")

    def __str__(self) -> str:
        return f"{self.context} → {self.classroom}"


class LtiActivity(models.Model):
    """An assignment placed in a course by deep linking, and where its scores go (the AGS line
    item the platform created for it, learned from a launch's AGS claim)."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="lti")
    course = models.ForeignKey(LtiCourse, on_delete=models.CASCADE, related_name="activities")
    lineitem_url = models.URLField(max_length=500, blank=True)
    can_publish_scores = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"LTI activity for {self.assignment}"


class LtiGrade(models.Model):
    """The last score sent (or being sent) for one learner on one activity."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed"

    activity = models.ForeignKey(LtiActivity, on_delete=models.CASCADE, related_name="grades")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    platform_user_id = models.CharField(max_length=255)  # the LTI `sub`
    score = models.FloatField()  # out of 100
    comment = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "learner"], name="lti_grade_unique")
        ]

    def __str__(self) -> str:
        return f"{self.learner} {self.score:.0f}/100 ({self.status})"


class LtiUsedNonce(models.Model):
    """Each launch's nonce, once used: PyLTI1p3 checks that a nonce was issued, not that it
    is new, so a replayed id_token would pass until it expires. Kept a day (longer than any
    id_token lives)."""

    value = models.CharField(max_length=255, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.value


class LtiLaunchValue(models.Model):
    """What PyLTI1p3 keeps between the OIDC login initiation and the launch, and after it: the
    nonce and state it issued, the state's parameters, the id_token's hash and the launch's
    claims (read again by the deep-linking picker). In the database, not a per-process cache:
    the login and the launch are two requests, and with several server processes they may
    reach two of them (lessons/lti/storage.py)."""

    key = models.CharField(max_length=255, unique=True)
    value = models.JSONField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key
