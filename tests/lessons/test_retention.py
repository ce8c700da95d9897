"""`manage.py enforce_retention`: audio, transcripts, unclaimed trials and IP addresses go when
their settings say, and nothing else does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from lessons.models import Conversation, DrillAttempt, Phrase, Turn, TurnAudio
from lessons.services.audio import turn_store_audio
from tests.audio import tone
from tests.lessons.learner_data import make_conversation

pytestmark = pytest.mark.django_db


@pytest.fixture
def audio_dir(tmp_path: Path) -> Iterator[Path]:
    with override_settings(STORE_LEARNER_AUDIO=True, LEARNER_AUDIO_DIR=tmp_path):
        yield tmp_path


def _days_ago(days: float) -> Any:
    return timezone.now() - timedelta(days=days)


def _conversation(learner: User | None, days: float, ip: str | None = None) -> Conversation:
    conversation = make_conversation(learner, started_at=_days_ago(days))
    field = "start_ip" if learner else "trial_ip"
    Conversation.objects.filter(pk=conversation.pk).update(**{field: ip})
    return conversation


def _audio(learner: User, days: float) -> Path:
    turn = _conversation(learner, days=0).turns.filter(speaker="learner").first()
    audio = turn_store_audio(turn_id=turn.pk, pcm16_16k=tone(220, 0.5, 16000))
    TurnAudio.objects.filter(pk=audio.pk).update(created_at=_days_ago(days))  # type: ignore[union-attr]
    return Path(audio.file.path)  # type: ignore[union-attr]


def _enforce(*args: str, capture: Callable[..., Any] | None = None) -> str:
    out = StringIO()
    if capture is None:
        call_command("enforce_retention", *args, stdout=out)
    else:
        with capture(execute=True):
            call_command("enforce_retention", *args, stdout=out)
    return out.getvalue()


def test_by_default_transcripts_stay_and_old_trials_and_audio_go(
    alice: User, audio_dir: Path, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    ancient = _conversation(alice, days=3650)
    old_trial, new_trial = _conversation(None, days=8), _conversation(None, days=6)
    old_audio, new_audio = _audio(alice, days=31), _audio(alice, days=29)
    out = _enforce(capture=django_capture_on_commit_callbacks)
    assert "Deleted 1 learner audio recording(s) (older than 30 days)" in out
    assert "Deleted 0 conversation transcript(s) (none: kept until their learner" in out
    assert "Deleted 1 unclaimed trial(s) (older than 7 days)" in out
    remaining = set(Conversation.objects.values_list("pk", flat=True))
    assert {ancient.pk, new_trial.pk} <= remaining and old_trial.pk not in remaining
    assert not old_audio.exists() and new_audio.exists()
    assert TurnAudio.objects.count() == 1


@override_settings(TRANSCRIPT_RETENTION_DAYS=90)
def test_old_transcripts_go_and_the_deck_stays(alice: User, charlie: User) -> None:
    old, recent = _conversation(alice, days=91), _conversation(charlie, days=89)
    card = Phrase.objects.create(learner=alice, language="es", text="la cuenta", conversation=old)
    assert "Deleted 1 conversation transcript(s) (older than 90 days)" in _enforce()
    assert not Conversation.objects.filter(pk=old.pk).exists()
    assert not Turn.objects.filter(conversation_id=old.pk).exists()
    assert Turn.objects.filter(conversation=recent).exists()
    card.refresh_from_db()
    assert card.conversation is None  # the learner keeps the card


@override_settings(TRANSCRIPT_RETENTION_DAYS=1)
def test_a_dry_run_counts_and_deletes_nothing(alice: User, audio_dir: Path) -> None:
    _conversation(alice, days=2)
    _conversation(None, days=30, ip="10.0.0.1")
    _audio(alice, days=60)
    before = (Conversation.objects.count(), TurnAudio.objects.count())
    out = _enforce("--dry-run")
    assert "Would delete 1 learner audio recording(s)" in out
    assert "Would delete 1 conversation transcript(s)" in out
    assert "Would delete 1 unclaimed trial(s)" in out
    assert "Would clear the IP address of 1 conversation(s)" in out
    assert (Conversation.objects.count(), TurnAudio.objects.count()) == before


@override_settings(TRIAL_RETENTION_DAYS=1, TRIAL_WINDOW_SECONDS=3 * 24 * 3600)
def test_trials_inside_the_trial_window_stay_for_the_per_ip_limit(db: None) -> None:
    inside, outside = _conversation(None, days=2), _conversation(None, days=4)
    _enforce()
    assert Conversation.objects.filter(pk=inside.pk).exists()
    assert not Conversation.objects.filter(pk=outside.pk).exists()


def test_ip_addresses_are_cleared_once_no_limit_counts_them(alice: User) -> None:
    claimed = _conversation(alice, days=2)
    Conversation.objects.filter(pk=claimed.pk).update(trial_ip="10.0.0.1")  # a claimed trial
    started_now = _conversation(alice, days=0, ip="10.0.0.2")
    started_earlier = _conversation(alice, days=0.1, ip="10.0.0.3")
    trial_today = _conversation(None, days=0.5, ip="10.0.0.4")
    assert "Cleared the IP address of 2 conversation(s)" in _enforce()
    ips = dict(Conversation.objects.values_list("pk", "start_ip"))
    trial_ips = dict(Conversation.objects.values_list("pk", "trial_ip"))
    assert trial_ips[claimed.pk] is None and ips[started_earlier.pk] is None
    assert ips[started_now.pk] == "10.0.0.2" and trial_ips[trial_today.pk] == "10.0.0.4"


def test_a_spoken_drill_answers_address_goes_after_the_hour_its_limit_counts(
    alice: User,
) -> None:
    card = Phrase.objects.create(learner=alice, language="es", text="la cuenta")
    old, new = (
        DrillAttempt.objects.create(learner=alice, phrase=card, mode="spoken", ip="10.0.0.9")
        for _ in range(2)
    )
    DrillAttempt.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert "and 1 spoken drill answer(s)" in _enforce()
    assert dict(DrillAttempt.objects.values_list("pk", "ip")) == {old.pk: None, new.pk: "10.0.0.9"}
