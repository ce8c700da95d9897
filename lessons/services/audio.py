"""The learner's own voice per spoken turn, when the operator has switched it on.

Off by default (STORE_LEARNER_AUDIO): Tertulia keeps transcripts, not recordings. When on,
each spoken learner turn of a signed-in learner keeps its 16 kHz PCM16 as a WAV file under
LEARNER_AUDIO_DIR for AUDIO_RETENTION_DAYS. Anonymous trials are never recorded: nobody could
listen to, export or delete the recording.
"""

from __future__ import annotations

import io
import wave

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from lessons.models import Turn, TurnAudio
from lessons.services.privacy import audio_allowed

RATE = 16_000  # Hz, what the runtime hands over (the rate Gemini hears)


def wav_bytes(pcm16_16k: bytes) -> bytes:
    """Mono PCM16 at 16 kHz -> a WAV file."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(pcm16_16k)
    return out.getvalue()


def turn_store_audio(*, turn_id: int, pcm16_16k: bytes) -> TurnAudio | None:
    """Keep one learner turn's audio, or None when storing is off, it is a trial or empty."""
    if not settings.STORE_LEARNER_AUDIO or len(pcm16_16k) < 2:
        return None
    turn = Turn.objects.select_related("conversation").get(pk=turn_id)
    if turn.speaker != Turn.Speaker.LEARNER or not audio_allowed(turn.conversation):
        return None  # a trial, or a class that keeps no audio (lessons/services/privacy.py)
    pcm = pcm16_16k[: len(pcm16_16k) // 2 * 2]
    audio = TurnAudio(turn=turn, seconds=len(pcm) / (2 * RATE))
    audio.file.save(f"{turn.ordinal:04d}.wav", ContentFile(wav_bytes(pcm)), save=False)
    try:
        with transaction.atomic():
            audio.save()
    except Exception:
        audio.file.delete(save=False)  # no row, no file
        raise
    return audio
