"""Samples of the tutor's voices, so a teacher or learner can hear one before choosing it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from accounts.choices import TARGET_LANGUAGES, TUTOR_VOICES


class VoicePreview(models.Model):
    """One prebuilt voice reading its sample line in one language, as the server's
    text-to-speech model spoke it. Kept so that each (voice, language) costs one call: at most
    30 voices × 7 languages per TTS model, whoever asks. Belongs to nobody."""

    voice = models.CharField(max_length=20, choices=TUTOR_VOICES)
    language = models.CharField(max_length=8, choices=TARGET_LANGUAGES)
    model = models.CharField(max_length=80)
    text = models.CharField(max_length=200)  # what was spoken: a changed sample speaks again
    wav = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["voice", "language", "model"], name="voice_preview_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.voice} in {self.language} ({self.model})"
