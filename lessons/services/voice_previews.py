"""The kept samples of the tutor's voices (`VoicePreview`): each (voice, language, TTS model)
is synthesised once, whoever asks first, and served from the database after that."""

from __future__ import annotations

from contextlib import suppress

from django.db import IntegrityError

from lessons.models import VoicePreview


def voice_preview_kept(*, voice: str, language: str, model: str, text: str) -> bytes | None:
    """The kept WAV of this sample, or None if it was never made (or said something else)."""
    kept = VoicePreview.objects.filter(
        voice=voice, language=language, model=model, text=text
    ).first()
    return bytes(kept.wav) if kept else None


def voice_preview_keep(*, voice: str, language: str, model: str, text: str, wav: bytes) -> None:
    """Keep a sample; a changed sample line replaces the old one. Two processes making the
    same sample at once both succeed: the later write wins, and both sound the same."""
    with suppress(IntegrityError):  # the other process inserted it first: theirs is as good
        VoicePreview.objects.update_or_create(
            voice=voice, language=language, model=model, defaults={"text": text, "wav": wav}
        )
