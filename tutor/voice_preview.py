"""`GET /voices/<voice>/<language>.wav`: a prebuilt voice reading a short greeting in a language,
so a teacher choosing a topic persona's voice, or a learner choosing their free-talk voice, can
hear it first. `default` stands for the language's usual voice, the forms' blank choice.

The sample is spoken by Gemini's text-to-speech model (`tutor.live.drills.speak_text`, the call
the drill page's model answers use) and kept (`VoicePreview`), so each (voice, language) costs
one call per TTS model for the whole site: at most 30 × 7, whoever asks. Only the prebuilt
voices and the taught languages are accepted, so nothing else can reach Gemini from here, and a
process makes one sample at a time per (voice, language). Signed-in users only; the key stays
on the server.
"""

from __future__ import annotations

import asyncio

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lessons.services.voice_previews import voice_preview_keep, voice_preview_kept
from tutor.audio.clip import to_wav
from tutor.live import upstream
from tutor.live.drills import TutorUnavailable, speak_text
from tutor.prompts import LANGUAGES, PREBUILT_VOICES, preview_line, voice_for

# One sample in the making per (voice, language) in this process: a page full of play buttons
# pressed at once makes each sample once, not once per press.
_MAKING: dict[tuple[str, str], asyncio.Lock] = {}


@require_GET
@login_required
async def voice_preview(request: HttpRequest, voice: str, language: str) -> HttpResponse:
    if voice == "default" and language in LANGUAGES:
        voice = voice_for(language)
    if voice not in PREBUILT_VOICES or language not in LANGUAGES:
        return JsonResponse(
            {"error": "not_found", "message": _("There is no such voice or language.")}, status=404
        )
    model, text = settings.GEMINI_TTS_MODEL, preview_line(voice, language)
    lock = _MAKING.setdefault((voice, language), asyncio.Lock())
    async with lock:
        wav = await sync_to_async(voice_preview_kept)(
            voice=voice, language=language, model=model, text=text
        )
        if wav is None:
            try:
                pcm, rate = await speak_text(
                    upstream.client(), model=model, voice=voice, language=language, text=text
                )
            except TutorUnavailable as exc:
                message = _(
                    "%(voice)s's sample cannot be played right now. Try again in a moment."
                ) % {"voice": voice}
                return JsonResponse({"error": exc.code, "message": message}, status=503)
            wav = to_wav(pcm, rate)
            await sync_to_async(voice_preview_keep)(
                voice=voice, language=language, model=model, text=text, wav=wav
            )
    response = HttpResponse(wav, content_type="audio/wav")
    response["Cache-Control"] = "private, max-age=86400"
    return response
