"""Starting conversations, the conversation page, and the typed (HTTP) fallback."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.choices import TARGET_LANGUAGES
from accounts.requests import AuthedRequest
from lessons.models import Assignment, Conversation, Topic, Turn
from lessons.services import conversations as services
from tutor import logformat, metrics
from tutor.audio.frames import OPUS_RATES
from tutor.conversation import protocol
from tutor.conversation.access import HTTP_STATUS, TRIAL_SESSION_KEY, owns, refusal
from tutor.conversation.close_notices import CLOSE_NOTICES
from tutor.conversation.feedback import TargetPhrases, correction_diff
from tutor.live import upstream
from tutor.live.events import CorrectionNoted, Event, PhraseNoted
from tutor.live.text_reply import TutorUnavailable, generate_text_reply
from tutor.prompts import TOOL_DECLARATIONS

MAX_TYPED_CHARS = protocol.MAX_TYPED_CHARS


def client_ip(request: HttpRequest) -> str | None:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. nginx real_ip); X-Forwarded-For
    # is client-controlled and would let anyone dodge the per-IP trial limit.
    return request.META.get("REMOTE_ADDR") or None


@require_POST
@login_required
def start(request: AuthedRequest) -> HttpResponse:
    """Start a conversation on a topic, an assignment, or free talk (no topic)."""
    user = request.user
    topic = assignment = None
    if request.POST.get("assignment"):
        assignment = get_object_or_404(
            Assignment.objects.select_related("topic"),
            pk=_int(request.POST["assignment"]),
            classroom__learners=user,
        )
    elif request.POST.get("topic"):
        topic = get_object_or_404(Topic.objects.visible_to(user), pk=_int(request.POST["topic"]))
    try:
        conversation = services.conversation_start(
            learner=user, topic=topic, assignment=assignment, ip=client_ip(request)
        )
    except services.LimitExceeded as exc:
        messages.error(request, str(exc))
        return redirect("lessons:home")
    return redirect(conversation)


@require_POST
def trial(request: HttpRequest) -> HttpResponse:
    """One free minute for an anonymous visitor, tied to this browser session."""
    if request.user.is_authenticated:
        return redirect("lessons:home")
    language = request.POST.get("language", "es")
    if language not in dict(TARGET_LANGUAGES):
        language = "es"
    if not request.session.session_key:
        request.session.save()
    try:
        conversation = services.conversation_start(
            learner=None,
            session_key=request.session.session_key or "",
            ip=client_ip(request),
            language=language,
            level="A2",
        )
    except services.LimitExceeded as exc:
        metrics.TRIAL_STARTS.labels("limited").inc()
        messages.warning(request, str(exc))
        return redirect("account_signup")
    metrics.TRIAL_STARTS.labels("started").inc()
    request.session[TRIAL_SESSION_KEY] = [
        *request.session.get(TRIAL_SESSION_KEY, []),
        str(conversation.pk),
    ]
    return redirect(conversation)


def _scope(request: HttpRequest) -> dict[str, Any]:
    return {"user": request.user, "session": request.session}


def conversation_page(request: HttpRequest, pk: UUID) -> HttpResponse:
    conversation = Conversation.objects.select_related("topic", "assignment").filter(pk=pk).first()
    if conversation is None or not owns(conversation, _scope(request)):
        if not request.user.is_authenticated and conversation and conversation.learner_id:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        raise Http404("No such conversation")
    if conversation.status != Conversation.Status.ACTIVE:
        return redirect(_after_url(conversation))
    turns = list(conversation.turns.prefetch_related("corrections").order_by("ordinal"))
    for turn in turns:
        for correction in turn.corrections.all():
            # The word diff the live `correction` event carries, for a reloaded page's cards.
            diff = correction_diff(correction.original, correction.corrected, conversation.language)
            correction.diff_json = json.dumps(diff, ensure_ascii=False)  # type: ignore[attr-defined]
    phrases = conversation.topic.target_phrases if conversation.topic else []
    said = [turn.text for turn in turns if turn.speaker == Turn.Speaker.LEARNER]
    used = TargetPhrases(phrases, said).used
    context = {
        "conversation": conversation,
        "topic": conversation.topic,
        "turns": turns,
        "targets": [(phrase, index in used) for index, phrase in enumerate(phrases)],
        "targets_used": len(used),
        "language_name": conversation.get_language_display(),
        "config": {
            "id": str(conversation.pk),
            "wsPath": f"/ws/conversations/{conversation.pk}/",
            "messageUrl": reverse("tutor:message", args=[conversation.pk]),
            "endUrl": reverse("tutor:end", args=[conversation.pk]),
            "trial": conversation.is_trial,
            "trialSeconds": settings.TRIAL_SECONDS,
            "signupUrl": reverse("account_signup"),
            "demo": settings.DEMO_TUTOR,
            "correctionStyle": conversation.correction_style,
            "language": conversation.language,
            "reconnectGraceSeconds": settings.RECONNECT_GRACE_SECONDS,
            "opusRates": list(OPUS_RATES),
            "closes": CLOSE_NOTICES,
        },
    }
    return render(request, "tutor/conversation.html", context)


def _after_url(conversation: Conversation) -> str:
    """Where a finished conversation sends its learner: the review page, or sign-up."""
    if conversation.learner_id is None:
        return reverse("account_signup")
    return reverse("learn:conversation_review", args=[conversation.pk])


@require_POST
def end(request: HttpRequest, pk: UUID) -> HttpResponse:
    conversation = Conversation.objects.filter(pk=pk).first()
    if conversation is None or not owns(conversation, _scope(request)):
        raise Http404("No such conversation")
    services.conversation_finish(conversation_id=conversation.pk, reason="learner_ended")
    if conversation.learner_id is None:
        messages.info(request, "Sign up to keep this conversation and review your corrections.")
    return redirect(_after_url(conversation))


@require_POST
async def message(request: HttpRequest, pk: UUID) -> HttpResponseBase:
    """The typed fallback: one learner message in, the tutor's reply out, both stored as
    typed turns. Used when the WebSocket cannot be established."""
    with logformat.conversation_bound(pk):
        return await _message(request, pk)


async def _message(request: HttpRequest, pk: UUID) -> HttpResponseBase:
    conversation = await sync_to_async(_load_for_text)(pk)
    code = refusal(conversation, await sync_to_async(_scope)(request))
    if code is not None or conversation is None:
        status = HTTP_STATUS.get(code or protocol.CLOSE_NOT_YOURS, 404)
        return JsonResponse(
            {"error": "not_available", "message": _refusal_text(code)}, status=status
        )
    text = _typed_text(request)
    if text is None:
        return JsonResponse(
            {
                "error": "bad_request",
                "message": f"Type a message of 1–{MAX_TYPED_CHARS} characters.",
            },
            status=400,
        )
    if conversation.is_trial and await sync_to_async(_trial_used_up)(conversation):
        return JsonResponse(
            {
                "error": "trial_over",
                "message": "Your free minute is over.",
                "signupUrl": reverse("account_signup"),
            },
            status=403,
        )
    return await _reply(conversation, text)


async def _reply(conversation: Conversation, text: str) -> JsonResponse:
    history = await sync_to_async(services.conversation_history)(conversation_id=conversation.pk)
    learner = await sync_to_async(services.conversation_record_turn)(
        conversation_id=conversation.pk, speaker="learner", text=text, source=Turn.Source.TYPED
    )
    try:
        reply = await generate_text_reply(
            upstream.client(),
            model=settings.GEMINI_TEXT_MODEL,
            system_instruction=await sync_to_async(upstream.system_instruction)(conversation),
            history=history,
            message=text,
            tools=TOOL_DECLARATIONS,  # the voice session's tools: notes are stored alike
        )
    except TutorUnavailable as exc:
        metrics.TYPED_FALLBACK.labels("unavailable").inc()
        return JsonResponse(
            {"error": exc.code, "message": str(exc), "learnerTurn": learner.ordinal}, status=503
        )
    tutor = await sync_to_async(services.conversation_record_turn)(
        conversation_id=conversation.pk,
        speaker="tutor",
        text=reply.text,
        source=Turn.Source.TYPED,
    )
    metrics.TYPED_FALLBACK.labels("answered").inc()
    notes = await sync_to_async(_store_notes)(conversation, learner, reply.notes)
    phrases = conversation.topic.target_phrases if conversation.topic else []
    return JsonResponse(
        {
            "learner": {"turn": learner.ordinal, "text": learner.text},
            "tutor": {"turn": tutor.ordinal, "text": tutor.text},
            # The target phrases this line used; the page ticks them (never unticks).
            "targets": sorted(TargetPhrases(phrases, [text]).used),
            **notes,
        }
    )


def _store_notes(
    conversation: Conversation, learner: Turn, notes: tuple[Event, ...]
) -> dict[str, list[dict[str, Any]]]:
    """The tutor's notes about this typed line, stored by the services the voice runtime uses
    (tutor.conversation.tutor_events), and as the page's `correction` and `phrase` events."""
    corrections, phrases = [], []
    for note in notes:
        if isinstance(note, CorrectionNoted):
            fields = {
                "original": note.original,
                "corrected": note.corrected,
                "explanation": note.explanation,
                "kind": note.kind,
            }
            services.conversation_record_correction(turn_id=learner.pk, **fields)
            diff = correction_diff(note.original, note.corrected, conversation.language)
            corrections.append({"turn": learner.ordinal, **fields, "diff": diff})
        elif isinstance(note, PhraseNoted):
            services.conversation_record_phrase(
                conversation_id=conversation.pk, text=note.text, translation=note.translation
            )
            phrases.append({"text": note.text, "translation": note.translation})
    return {"corrections": corrections, "phrases": phrases}


def _load_for_text(pk: UUID) -> Conversation | None:
    return Conversation.objects.select_related("learner", "topic").filter(pk=pk).first()


def _trial_used_up(conversation: Conversation) -> bool:
    fresh = services.conversation_mark_first_activity(conversation_id=conversation.pk)
    started = fresh.first_audio_at or timezone.now()
    used = (timezone.now() - started).total_seconds()
    if used >= settings.TRIAL_SECONDS:
        services.conversation_finish(conversation_id=conversation.pk, reason="trial_over")
        return True
    return False


def _typed_text(request: HttpRequest) -> str | None:
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return None
        raw = body.get("text") if isinstance(body, dict) else None
    else:
        raw = request.POST.get("text")
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    # NUL (and, from a JSON body, a lone surrogate) cannot be stored: a 400, not a 500.
    ok = 0 < len(text) <= MAX_TYPED_CHARS and protocol.storable_text(text)
    return text if ok else None


def _refusal_text(code: int | None) -> str:
    if code == protocol.CLOSE_NOT_SIGNED_IN:
        return "Sign in to continue this conversation."
    if code == protocol.CLOSE_GONE:
        return "This conversation has ended."
    return "This conversation is not available."


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Not found") from None
