"""Privacy per classroom (lessons/services/privacy.py): a class keeps less than the site, never
more; recordings, retention, the tutor's memory and the teacher's listening follow it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lessons.forms_teacher import ClassroomEditForm
from lessons.models import Classroom, Conversation, Membership, TurnAudio
from lessons.services.audio import turn_store_audio
from lessons.services.privacy import (
    audio_allowed,
    check_within_site,
    class_privacy,
    memory_allowed,
    teacher_may_listen,
)
from tests.audio import tone
from tests.base import Personas
from tests.lessons.teaching import fast_passwords, make_assignment, make_conversation  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@pytest.fixture
def audio_dir(tmp_path: Path) -> Iterator[Path]:
    with override_settings(
        STORE_LEARNER_AUDIO=True, LEARNER_AUDIO_DIR=tmp_path, AUDIO_RETENTION_DAYS=30
    ):
        yield tmp_path


def _set(classroom: Classroom, **fields: Any) -> Classroom:
    Classroom.objects.filter(pk=classroom.pk).update(**fields)
    classroom.refresh_from_db()
    return classroom


def _stored_audio(conversation: Conversation, days_ago: float = 0) -> TurnAudio | None:
    turn = conversation.turns.filter(speaker="learner").first()
    assert turn is not None
    audio = turn_store_audio(turn_id=turn.pk, pcm16_16k=tone(220, 0.3, 16000))
    if audio is not None and days_ago:
        TurnAudio.objects.filter(pk=audio.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    return audio


def test_a_class_that_keeps_no_audio_stops_recordings_of_its_work_and_its_learners_practice(
    personas: Personas, audio_dir: Path
) -> None:
    alice, classroom = personas.alice, personas.classroom
    homework = make_conversation(alice, make_assignment(classroom), said=["Hola"])
    practice = make_conversation(alice, said=["Buenos días"])
    assert audio_allowed(homework) and _stored_audio(homework) is not None
    _set(classroom, store_audio=False)
    assert not audio_allowed(homework) and not audio_allowed(practice)
    assert _stored_audio(make_conversation(alice, said=["Adiós"])) is None
    # charlie is in no class: the site's setting alone decides.
    assert audio_allowed(make_conversation(personas.charlie, said=["Salut"]))


def test_the_site_setting_wins_over_any_class(personas: Personas, tmp_path: Path) -> None:
    with override_settings(STORE_LEARNER_AUDIO=False, LEARNER_AUDIO_DIR=tmp_path):
        homework = make_conversation(
            personas.alice, make_assignment(personas.classroom), said=["x"]
        )
        classroom = _set(personas.classroom, store_audio=True, teacher_listens=True)
        assert not audio_allowed(homework)
        privacy = class_privacy(classroom)
        assert not privacy.audio_stored and not privacy.teacher_listens


@override_settings(AUDIO_RETENTION_DAYS=30, TRANSCRIPT_RETENTION_DAYS=0)
def test_a_class_may_keep_less_than_the_site_never_more() -> None:
    check_within_site(audio_retention_days=7, transcript_retention_days=400)  # 0: for ever
    with pytest.raises(ValidationError) as error:
        check_within_site(audio_retention_days=31, transcript_retention_days=0)
    assert set(error.value.message_dict) == {"audio_retention_days", "transcript_retention_days"}
    with override_settings(TRANSCRIPT_RETENTION_DAYS=90), pytest.raises(ValidationError):
        check_within_site(audio_retention_days=None, transcript_retention_days=91)


def test_retention_honours_each_classs_periods(
    personas: Personas, audio_dir: Path, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    alice, classroom = personas.alice, personas.classroom
    other = Classroom.objects.create(teacher=personas.bob, name="Spanish 3A", language="es")
    charlie = personas.charlie
    Membership.objects.create(classroom=other, learner=charlie)
    _set(classroom, audio_retention_days=7, transcript_retention_days=20)
    assignment = make_assignment(classroom)
    old_homework = make_conversation(
        alice, assignment, said=["a"], started_at=timezone.now() - timedelta(days=21)
    )
    new_homework = make_conversation(
        alice, assignment, said=["b"], started_at=timezone.now() - timedelta(days=19)
    )
    old_practice = make_conversation(  # free practice of a learner of the class: its rules too
        alice, said=["c"], started_at=timezone.now() - timedelta(days=25)
    )
    others = make_conversation(  # another class, the site's rules: kept for ever
        charlie, said=["d"], started_at=timezone.now() - timedelta(days=300)
    )
    week_old = _stored_audio(new_homework, days_ago=8)
    charlies = _stored_audio(others, days_ago=8)
    assert week_old is not None and charlies is not None
    with django_capture_on_commit_callbacks(execute=True):
        call_command("enforce_retention", stdout=StringIO())
    remaining = set(Conversation.objects.values_list("pk", flat=True))
    assert old_homework.pk not in remaining and old_practice.pk not in remaining
    assert {new_homework.pk, others.pk} <= remaining
    assert list(TurnAudio.objects.values_list("pk", flat=True)) == [charlies.pk]
    assert not Path(week_old.file.path).exists()


def test_turning_recordings_off_deletes_the_ones_kept(
    personas: Personas, audio_dir: Path, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    homework = make_conversation(personas.alice, make_assignment(personas.classroom), said=["x"])
    audio = _stored_audio(homework)
    assert audio is not None
    _set(personas.classroom, store_audio=False)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("enforce_retention", stdout=StringIO())
    assert not TurnAudio.objects.exists() and not Path(audio.file.path).exists()
    assert Conversation.objects.filter(pk=homework.pk).exists()  # the transcript stays


def test_memory_is_allowed_unless_one_of_the_learners_classes_forbids_it(
    personas: Personas,
) -> None:
    assert memory_allowed(personas.alice)
    _set(personas.classroom, tutor_memory=False)
    assert not memory_allowed(personas.alice) and memory_allowed(personas.charlie)


def test_the_teacher_listens_only_where_the_class_allows_it(
    personas: Personas, audio_dir: Path
) -> None:
    homework = make_conversation(personas.alice, make_assignment(personas.classroom), said=["x"])
    audio = _stored_audio(homework)
    assert audio is not None
    client = Client()
    client.force_login(personas.bob)
    page = reverse("teach:transcript", args=[homework.pk])
    audio_url = reverse("teach:turn_audio", args=[homework.pk, audio.turn_id])
    assert not teacher_may_listen(homework)
    assert client.get(audio_url).status_code == 404
    assert audio_url not in client.get(page).content.decode()
    _set(personas.classroom, teacher_listens=True)
    homework.refresh_from_db()
    assert teacher_may_listen(homework)
    assert audio_url in client.get(page).content.decode()
    response = client.get(audio_url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert response.content[:4] == b"RIFF" and response["Cache-Control"] == "private, no-store"
    # Free practice is never the teacher's, whatever the class allows.
    practice = make_conversation(personas.alice, said=["y"])
    assert not teacher_may_listen(practice)
    charlie = Client()
    charlie.force_login(personas.charlie)
    assert charlie.get(audio_url).status_code == 403  # not a teacher


@override_settings(STORE_LEARNER_AUDIO=True, AUDIO_RETENTION_DAYS=30, TRANSCRIPT_RETENTION_DAYS=0)
def test_the_edit_form_refuses_longer_periods_than_the_sites(personas: Personas) -> None:
    data = {
        "name": "Spanish 2B",
        "level_min": "A2",
        "level_max": "B1",
        "store_audio": "on",
        "audio_retention_days": "45",
        "transcript_retention_days": "0",
        "tutor_memory": "on",
    }
    form = ClassroomEditForm(data, instance=personas.classroom)
    assert not form.is_valid()
    assert "30 days" in form.errors["audio_retention_days"][0]
    assert "At least 1 day" in form.errors["transcript_retention_days"][0]


def test_learners_see_the_classs_privacy_before_they_join(personas: Personas) -> None:
    _set(personas.classroom, tutor_memory=False, transcript_retention_days=60)
    client = Client()
    client.force_login(personas.charlie)
    page = client.get(reverse("teach:join", args=[personas.classroom.join_code]))
    text = page.content.decode()
    assert "Privacy in this class" in text
    assert "Transcripts are deleted after 60 days." in text
    assert "The tutor does not remember you between conversations." in text
    assert "No recording of your voice is kept" in text  # the site keeps none by default
