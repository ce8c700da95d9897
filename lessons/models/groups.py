"""Group conversations (docs/groups.md): a room where two to four learners of one language talk
on a topic with the tutor as moderator, and each learner's place in it. Every member has their
own `Conversation` (kind `group`), so review, deck, progress and exports work per learner."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import TARGET_LANGUAGES, Level
from lessons.models.classrooms import Assignment
from lessons.models.conversations import Conversation
from lessons.models.topics import Topic

MIN_MEMBERS = 2
MAX_MEMBERS = 4


def new_invite_token() -> str:
    # 24 random bytes: an invite link cannot be guessed, only shared.
    return secrets.token_urlsafe(24)


class GroupRoom(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ENDED = "ended", _("Ended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    language = models.CharField(max_length=8, choices=TARGET_LANGUAGES)
    level = models.CharField(max_length=2, choices=Level.choices)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="group_rooms"
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="group_rooms"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_rooms_created"
    )
    invite_token = models.CharField(max_length=64, unique=True, default=new_invite_token)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Learners a teacher chose from the class when opening the room: they find it on their
    # group page without the link. Anyone else may still join with the invite link.
    invited = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="group_invitations"
    )
    max_members = models.PositiveSmallIntegerField(
        default=MAX_MEMBERS,
        validators=[MinValueValidator(MIN_MEMBERS), MaxValueValidator(MAX_MEMBERS)],
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_members__gte=MIN_MEMBERS) & Q(max_members__lte=MAX_MEMBERS),
                name="group_room_size",
            ),
            models.CheckConstraint(
                condition=Q(status="open", ended_at__isnull=True)
                | Q(status="ended", ended_at__isnull=False),
                name="group_room_ended_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} group {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("lessons:group_room", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class GroupMember(models.Model):
    room = models.ForeignKey(GroupRoom, on_delete=models.CASCADE, related_name="members")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    # The learner's own copy of the room's conversation (fan-out, lessons.services.groups).
    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="group_member"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    # None while present; set when the learner's last socket closes or they leave.
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["room", "learner"], name="group_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.room_id}"

    @property
    def present(self) -> bool:
        return self.left_at is None
