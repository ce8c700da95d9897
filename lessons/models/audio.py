"""A learner's recorded voice: where the files live, and their deletion with their rows."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from lessons.models.turns import Turn


class LearnerAudioStorage(FileSystemStorage):
    """Files under LEARNER_AUDIO_DIR, read when used (not at import). No URL serves them."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.LEARNER_AUDIO_DIR)

    @property
    def location(self) -> str:  # type: ignore[override]
        return str(settings.LEARNER_AUDIO_DIR.resolve())


def turn_audio_path(instance: TurnAudio, filename: str) -> str:
    return f"{instance.turn.conversation_id}/{filename}"


class TurnAudio(models.Model):
    """A learner's own voice for one spoken turn: 16 kHz mono PCM16 WAV. Stored only when
    STORE_LEARNER_AUDIO is on, deleted after AUDIO_RETENTION_DAYS (and with its turn)."""

    turn = models.OneToOneField(Turn, on_delete=models.CASCADE, related_name="audio")
    file = models.FileField(storage=LearnerAudioStorage(), upload_to=turn_audio_path)
    seconds = models.FloatField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Audio of {self.turn}"


@receiver(post_delete, sender=TurnAudio)
def _delete_audio_file(sender: type[TurnAudio], instance: TurnAudio, **kwargs: object) -> None:
    """The file goes with its row (also when a conversation or an account is deleted), once
    the deletion is committed: a rolled-back delete keeps both."""
    transaction.on_commit(lambda: instance.file.delete(save=False))
