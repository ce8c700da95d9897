"""Learner audio per turn (lessons.services.audio): off by default, never for trials, a WAV
file that goes with its turn, conversation or account."""

from __future__ import annotations

import io
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from accounts.models import User
from lessons.models import TurnAudio
from lessons.services.audio import turn_store_audio
from tests.audio import tone
from tests.lessons.learner_data import make_conversation

pytestmark = pytest.mark.django_db
SPEECH = tone(220, 1.5, 16000)


@pytest.fixture
def audio_dir(tmp_path: Path) -> Iterator[Path]:
    with override_settings(STORE_LEARNER_AUDIO=True, LEARNER_AUDIO_DIR=tmp_path):
        yield tmp_path


def _learner_turn(learner: User | None) -> Any:
    return make_conversation(learner).turns.filter(speaker="learner").first()


def test_nothing_is_stored_by_default(alice: User, tmp_path: Path) -> None:
    with override_settings(LEARNER_AUDIO_DIR=tmp_path):
        assert turn_store_audio(turn_id=_learner_turn(alice).pk, pcm16_16k=SPEECH) is None
    assert not TurnAudio.objects.exists() and not any(tmp_path.iterdir())


def test_a_learner_turn_is_kept_as_a_16k_wav(alice: User, audio_dir: Path) -> None:
    turn = _learner_turn(alice)
    audio = turn_store_audio(turn_id=turn.pk, pcm16_16k=SPEECH)
    assert audio is not None and audio.seconds == pytest.approx(1.5)
    path = Path(audio.file.path)
    assert path.is_relative_to(audio_dir) and str(turn.conversation_id) in str(path)
    with wave.open(io.BytesIO(path.read_bytes())) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16000, 1, 2)
        assert wav.readframes(wav.getnframes()) == SPEECH


def test_trials_and_tutor_turns_are_never_recorded(audio_dir: Path) -> None:
    trial_turn = _learner_turn(None)
    assert turn_store_audio(turn_id=trial_turn.pk, pcm16_16k=SPEECH) is None
    tutor_turn = trial_turn.conversation.turns.filter(speaker="tutor").first()
    assert turn_store_audio(turn_id=tutor_turn.pk, pcm16_16k=SPEECH) is None
    assert not any(audio_dir.iterdir())


@pytest.mark.parametrize("delete", ["turn", "conversation", "account"])
def test_the_file_goes_with_its_turn_conversation_or_account(
    alice: User,
    audio_dir: Path,
    delete: str,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    turn = _learner_turn(alice)
    path = Path(turn_store_audio(turn_id=turn.pk, pcm16_16k=SPEECH).file.path)  # type: ignore[union-attr]
    with django_capture_on_commit_callbacks(execute=True):
        {"turn": turn, "conversation": turn.conversation, "account": alice}[delete].delete()
    assert not path.exists()
    assert not TurnAudio.objects.exists()
