"""The drill page's two calls that need Gemini (the page itself is lessons' deck view):

- `POST /learn/deck/<phrase>/spoken/`: a recorded answer (a WAV body) is checked, heard by
  the text model (`tutor.live.drills.transcribe_answer`) and compared with the card
  (`lessons.services.drills`). JSON back, with the result drawn by the same template as a
  typed answer's.
- `GET /learn/deck/<phrase>/answer.wav`: the card's model answer read aloud by Gemini's
  text-to-speech, synthesised once per card and kept (`PhraseAudio`).

Both are for the card's owner only (anyone else gets a 404). The key stays here.
"""

from __future__ import annotations

from typing import cast

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from lessons.models import DrillAttempt, Phrase, PhraseAudio
from lessons.selectors.deck import card_face
from lessons.services.drills import DrillResult, drill_check, drill_check_rate, drill_record
from lessons.services.limits import LimitExceeded
from tutor.audio.clip import MAX_BYTES, MAX_SECONDS, ClipError, read_clip, to_wav
from tutor.conversation.access import client_ip
from tutor.learner_texts import clip_text, unavailable_text
from tutor.live import upstream
from tutor.live.drills import DrillCard, TutorUnavailable, speak_text, transcribe_answer
from tutor.prompts import voice_for

WAV_TYPES = frozenset({"audio/wav", "audio/x-wav", "audio/wave"})
NOT_FOUND = gettext_lazy("That card is not in your deck.")


def _failure(error: str, message: str | Promise, status: int) -> JsonResponse:
    return JsonResponse({"error": error, "message": str(message)}, status=status)


@require_POST
@login_required
async def spoken_answer(request: HttpRequest, phrase_id: int) -> HttpResponse:
    user = cast(User, await request.auser())  # login_required: never anonymous here
    phrase = await sync_to_async(_phrase)(user, phrase_id)
    if phrase is None:
        return _failure("not_found", NOT_FOUND, 404)
    if request.content_type not in WAV_TYPES:
        return _failure("bad_audio", _("Send the recording as a WAV file (audio/wav)."), 415)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BYTES:
        message = _("That recording is too long. Keep your answer under %(seconds)s s.") % {
            "seconds": f"{MAX_SECONDS:.0f}"
        }
        return _failure("too_large", message, 413)
    try:
        clip = read_clip(request.body)
        attempt = await sync_to_async(_start_attempt)(user, phrase, client_ip(request))
    except ClipError as exc:
        return _failure("bad_audio", clip_text(exc), 400)
    except LimitExceeded as exc:
        return _failure("rate_limited", str(exc), 429)
    try:
        heard = await transcribe_answer(
            upstream.client(), model=settings.GEMINI_TEXT_MODEL, card=_card(phrase), wav=clip.wav()
        )
    except TutorUnavailable as exc:
        return _failure(exc.code, unavailable_text(exc), 503)
    result = await sync_to_async(_finish_attempt)(attempt, phrase, heard)
    return JsonResponse(_payload(result, phrase, "spoken"))


@require_GET
@login_required
async def answer_audio(request: HttpRequest, phrase_id: int) -> HttpResponse:
    user = cast(User, await request.auser())  # login_required: never anonymous here
    phrase = await sync_to_async(_phrase)(user, phrase_id)
    if phrase is None:
        return _failure("not_found", NOT_FOUND, 404)
    text = card_face(phrase).answer or phrase.text
    voice, model = voice_for(phrase.language), settings.GEMINI_TTS_MODEL
    wav = await sync_to_async(_kept_audio)(phrase, text, voice, model)
    if wav is None:
        try:
            pcm, rate = await speak_text(
                upstream.client(), model=model, voice=voice, language=phrase.language, text=text
            )
        except TutorUnavailable as exc:
            return _failure(exc.code, unavailable_text(exc), 503)
        wav = to_wav(pcm, rate)
        await sync_to_async(_keep_audio)(phrase, text, voice, model, wav)
    response = HttpResponse(wav, content_type="audio/wav")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def _phrase(user: User, phrase_id: int) -> Phrase | None:
    cards = Phrase.objects.filter(learner=user).select_related("source_correction", "source_turn")
    return cards.filter(pk=phrase_id).first()


def _card(phrase: Phrase) -> DrillCard:
    # The card as the judge's prompt quotes it: in English, whatever the learner's language.
    with translation.override("en"):
        face = card_face(phrase)
    expected = face.answer or phrase.text
    return DrillCard(phrase.language, face.instruction, face.prompt, expected)


def _start_attempt(user: User, phrase: Phrase, ip: str | None) -> DrillAttempt:
    """Counted before Gemini is called, so failing calls count against the limit too."""
    drill_check_rate(learner=user, ip=ip)
    empty = drill_check(phrase=phrase, heard="")
    return drill_record(learner=user, phrase=phrase, mode="spoken", result=empty, ip=ip)


def _finish_attempt(attempt: DrillAttempt, phrase: Phrase, heard: str) -> DrillResult:
    result = drill_check(phrase=phrase, heard=heard)
    attempt.heard, attempt.matched = result.heard, result.matched
    attempt.save(update_fields=["heard", "matched"])
    return result


def _payload(result: DrillResult, phrase: Phrase, mode: str) -> dict[str, object]:
    html = render_to_string(
        "lessons/learner/_drill_result.html",
        {"result": result, "mode": mode, "lang": phrase.language, "demo": settings.DEMO_TUTOR},
    )
    return {
        "heard": result.heard,
        "matched": result.matched,
        "expected": result.expected,
        "suggestedRating": result.suggested_rating,
        "html": html,
    }


def _kept_audio(phrase: Phrase, text: str, voice: str, model: str) -> bytes | None:
    kept = PhraseAudio.objects.filter(phrase=phrase, text=text, voice=voice, model=model).first()
    return bytes(kept.wav) if kept else None


def _keep_audio(phrase: Phrase, text: str, voice: str, model: str, wav: bytes) -> None:
    PhraseAudio.objects.update_or_create(
        phrase=phrase, defaults={"text": text, "voice": voice, "model": model, "wav": wav}
    )
