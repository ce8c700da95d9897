"""The typed (HTTP) fallback: one learner message in, the tutor's reply out, both stored as
typed turns. The conversation page uses it when its WebSocket cannot be established
(docs/ARCHITECTURE.md, "The typed HTTP fallback")."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lessons.models import Conversation, Turn
from lessons.services import conversations as services
from tutor import logformat, metrics
from tutor.conversation import protocol
from tutor.conversation.access import HTTP_STATUS, refusal, request_scope
from tutor.conversation.feedback import TargetPhrases, correction_diff
from tutor.conversation.upgrades import upgrade_frame
from tutor.learner_texts import unavailable_text
from tutor.live import upstream
from tutor.live.events import CorrectionNoted, Event, PhraseNoted, UpgradeNoted
from tutor.live.text_reply import TutorUnavailable, generate_text_reply

MAX_TYPED_CHARS = protocol.MAX_TYPED_CHARS


@require_POST
async def message(request: HttpRequest, pk: UUID) -> HttpResponseBase:
    """The typed fallback: one learner message in, the tutor's reply out, both stored as
    typed turns. Used when the WebSocket cannot be established."""
    with logformat.conversation_bound(pk):
        return await _message(request, pk)


async def _message(request: HttpRequest, pk: UUID) -> HttpResponseBase:
    conversation = await sync_to_async(_load_for_text)(pk)
    code = refusal(conversation, await sync_to_async(request_scope)(request))
    if code is None and conversation is not None and conversation.group_room_id:
        code = protocol.CLOSE_NOT_YOURS  # a group copy is typed into through its room
    if code is not None or conversation is None:
        status = HTTP_STATUS.get(code or protocol.CLOSE_NOT_YOURS, 404)
        return JsonResponse(
            {"error": "not_available", "message": _refusal_text(code)}, status=status
        )
    text = typed_text(request)
    if text is None:
        return JsonResponse(
            {
                "error": "bad_request",
                "message": _("Type a message of 1–%(max)s characters.") % {"max": MAX_TYPED_CHARS},
            },
            status=400,
        )
    if conversation.is_trial and await sync_to_async(_trial_used_up)(conversation):
        return JsonResponse(
            {
                "error": "trial_over",
                "message": _("Your free minute is over."),
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
            tools=upstream.tools_for(conversation),  # the voice session's: notes stored alike
        )
    except TutorUnavailable as exc:
        metrics.TYPED_FALLBACK.labels("unavailable").inc()
        return JsonResponse(
            {"error": exc.code, "message": unavailable_text(exc), "learnerTurn": learner.ordinal},
            status=503,
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
    (tutor.conversation.tutor_events), and as the page's `correction`, `phrase` and `upgrade`
    events."""
    corrections, phrases = [], []
    upgrades: list[dict[str, Any]] = []
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
        elif isinstance(note, UpgradeNoted) and not upgrades:  # one per line
            services.conversation_record_upgrade(
                turn_id=learner.pk,
                original=note.original,
                upgraded=note.upgraded,
                explanation=note.explanation,
            )
            frame = upgrade_frame(note, learner.ordinal, conversation.language)
            upgrades.append({k: v for k, v in frame.items() if k != "type"})
    return {"corrections": corrections, "phrases": phrases, "upgrades": upgrades}


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


def typed_text(request: HttpRequest) -> str | None:
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
        return _("Sign in to continue this conversation.")
    if code == protocol.CLOSE_GONE:
        return _("This conversation has ended.")
    return _("This conversation is not available.")
