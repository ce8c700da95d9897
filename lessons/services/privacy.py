"""Privacy per classroom, within the operator's settings (docs/SECURITY.md).

A classroom may keep less than the site, never more:
- learner audio: stored only when STORE_LEARNER_AUDIO is on AND every class concerned allows
  it, kept for the shortest of AUDIO_RETENTION_DAYS and the classes' own periods;
- transcripts: kept for the shortest of TRANSCRIPT_RETENTION_DAYS (0: for ever) and the
  classes' periods;
- the tutor's memory of a learner: only if every class they are in allows it;
- the teacher listening to stored audio: only if the class says so (off by default).

Which classes concern a conversation: its assignment's class; for free practice, every class
the learner is in (the strictest wins: a learner in a class that keeps no audio is not
recorded in their free practice either).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lessons.models import Classroom, Conversation

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class ClassPrivacy:
    """What a classroom's learners are told when they join, in plain words."""

    audio_stored: bool
    audio_days: int
    transcript_days: int  # 0: kept until the learner deletes it
    tutor_memory: bool
    teacher_listens: bool


def class_privacy(classroom: Classroom) -> ClassPrivacy:
    audio = bool(settings.STORE_LEARNER_AUDIO and classroom.store_audio)
    return ClassPrivacy(
        audio_stored=audio,
        audio_days=_shortest(settings.AUDIO_RETENTION_DAYS, classroom.audio_retention_days),
        transcript_days=_shortest(
            settings.TRANSCRIPT_RETENTION_DAYS, classroom.transcript_retention_days
        ),
        tutor_memory=classroom.tutor_memory,
        teacher_listens=audio and classroom.teacher_listens,
    )


def check_within_site(
    *, audio_retention_days: int | None, transcript_retention_days: int | None
) -> None:
    """A class's periods may be shorter than the site's, not longer; raises ValidationError."""
    errors = {}
    site_audio = settings.AUDIO_RETENTION_DAYS
    if audio_retention_days is not None and not 1 <= audio_retention_days <= site_audio:
        errors["audio_retention_days"] = _("Between 1 and %(days)s days (this site's limit).") % {
            "days": site_audio
        }
    site_text = settings.TRANSCRIPT_RETENTION_DAYS
    if transcript_retention_days is not None:
        if transcript_retention_days < 1:
            errors["transcript_retention_days"] = _("At least 1 day, or leave it empty.")
        elif site_text and transcript_retention_days > site_text:
            errors["transcript_retention_days"] = _(
                "At most %(days)s days: this site deletes transcripts after that."
            ) % {"days": site_text}
    if errors:
        raise ValidationError(errors)


def classes_of(conversation: Conversation) -> list[Classroom]:
    if conversation.assignment_id is not None:
        return [Classroom.objects.get(assignments=conversation.assignment_id)]
    if conversation.learner_id is None:
        return []
    return list(Classroom.objects.filter(learners=conversation.learner_id))


def audio_allowed(conversation: Conversation) -> bool:
    """Whether this conversation's learner audio may be stored at all."""
    if not settings.STORE_LEARNER_AUDIO or conversation.learner_id is None:
        return False
    return all(classroom.store_audio for classroom in classes_of(conversation))


def memory_allowed(learner: User) -> bool:
    """Whether the tutor may keep a memory of this learner (their own switch aside)."""
    return not Classroom.objects.filter(learners=learner, tutor_memory=False).exists()


def teacher_may_listen(conversation: Conversation) -> bool:
    """Whether the teacher of the assignment it was held for may play its stored audio
    (teachers see only their assignments' conversations: lessons/teacher_views/access.py)."""
    assignment = conversation.assignment
    return assignment is not None and class_privacy(assignment.classroom).teacher_listens


def _shortest(site: int, own: int | None) -> int:
    if own is None:
        return site
    return min(site, own) if site else own
