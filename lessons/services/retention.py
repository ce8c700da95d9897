"""Deleting what is past its retention period (settings, docs/SECURITY.md), for
`manage.py enforce_retention`.

- learner audio: older than AUDIO_RETENTION_DAYS (files go with their rows);
- transcripts: conversations older than TRANSCRIPT_RETENTION_DAYS, when that is above 0, with
  their turns, corrections, comments and audio. The learner's phrase cards stay;
- per classroom (lessons/services/privacy.py): a class's shorter periods for its
  conversations (its assignments', and its learners' free practice), and all their audio once
  the class stores none;
- unclaimed anonymous trials: older than TRIAL_RETENTION_DAYS (never inside the trial window,
  which the per-IP trial limit counts);
- IP addresses: cleared once the limits that count them (the trial window, the hourly start
  limit, the hourly limits on spoken drill answers, on hints and on word lookups) no longer
  look that far back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from lessons.models import Classroom, Conversation, DrillAttempt, Hint, TurnAudio, WordLookup

START_WINDOW = timedelta(hours=1)  # the per-IP start and drill limits count the last hour


@dataclass(frozen=True)
class RetentionReport:
    audio: int
    transcripts: int
    trials: int
    addresses: int
    drill_addresses: int = 0  # spoken drill answers
    word_addresses: int = 0  # words looked up in captions
    hint_addresses: int = 0  # "What could I say?" hints


def _due(now: datetime) -> dict[str, QuerySet]:  # type: ignore[type-arg]
    audio_cutoff = now - timedelta(days=settings.AUDIO_RETENTION_DAYS)
    trial_window = timedelta(seconds=settings.TRIAL_WINDOW_SECONDS)
    trial_cutoff = now - max(timedelta(days=settings.TRIAL_RETENTION_DAYS), trial_window)
    days = settings.TRANSCRIPT_RETENTION_DAYS
    audio_due = Q(created_at__lt=audio_cutoff)
    # Q(pk__in=[]) matches nothing: without a site period, only classes' periods apply.
    transcripts_due = Q(started_at__lt=now - timedelta(days=days)) if days > 0 else Q(pk__in=[])
    for classroom, audio_days, transcript_days in _class_periods():
        of_class = _conversations_of(classroom)
        if audio_days is not None:
            cutoff = now - timedelta(days=audio_days)
            audio_due |= Q(created_at__lt=cutoff, turn__conversation__in=of_class)
        if transcript_days is not None:
            cutoff = now - timedelta(days=transcript_days)
            transcripts_due |= Q(started_at__lt=cutoff, pk__in=of_class)
    return {
        "audio": TurnAudio.objects.filter(audio_due),
        "transcripts": Conversation.objects.filter(transcripts_due, learner__isnull=False),
        "trials": Conversation.objects.filter(learner__isnull=True, started_at__lt=trial_cutoff),
        "addresses": Conversation.objects.filter(
            Q(trial_ip__isnull=False, started_at__lt=now - trial_window)
            | Q(start_ip__isnull=False, started_at__lt=now - START_WINDOW)
        ),
        "drill_addresses": DrillAttempt.objects.filter(
            ip__isnull=False, created_at__lt=now - START_WINDOW
        ),
        "word_addresses": WordLookup.objects.filter(
            ip__isnull=False, created_at__lt=now - START_WINDOW
        ),
        "hint_addresses": Hint.objects.filter(ip__isnull=False, created_at__lt=now - START_WINDOW),
    }


def _class_periods() -> list[tuple[Classroom, int | None, int | None]]:
    """Classes with periods of their own: (class, audio days, transcript days); 0 audio
    days once the class stores no audio (what was kept before goes too)."""
    own = Classroom.objects.filter(
        Q(store_audio=False)
        | Q(audio_retention_days__isnull=False)
        | Q(transcript_retention_days__isnull=False)
    )
    return [
        (c, 0 if not c.store_audio else c.audio_retention_days, c.transcript_retention_days)
        for c in own
    ]


def _conversations_of(classroom: Classroom) -> QuerySet[Conversation]:
    """The class's assignments' conversations and its learners' free practice."""
    return Conversation.objects.filter(
        Q(assignment__classroom=classroom)
        | Q(assignment__isnull=True, learner__classrooms=classroom)
    )


def retention_enforce(*, now: datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """Delete (or with `dry_run`, count) what is past its time."""
    due = _due(now or timezone.now())
    if dry_run:
        return RetentionReport(**{name: query.count() for name, query in due.items()})
    with transaction.atomic():
        return RetentionReport(
            audio=due["audio"].delete()[1].get("lessons.TurnAudio", 0),
            transcripts=due["transcripts"].delete()[1].get("lessons.Conversation", 0),
            trials=due["trials"].delete()[1].get("lessons.Conversation", 0),
            addresses=due["addresses"].update(trial_ip=None, start_ip=None),
            drill_addresses=due["drill_addresses"].update(ip=None),
            word_addresses=due["word_addresses"].update(ip=None),
            hint_addresses=due["hint_addresses"].update(ip=None),
        )
