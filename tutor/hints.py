""" "What could I say?" on the conversation page:

- `POST /conversations/<uuid>/hints/`: two or three replies the learner could say next, at
  their level, each with a gloss in their native language, from the text model
  (`tutor.live.hints`). The same suggestions come back, without another model call, until
  someone speaks; each call counts against the hourly hint limits (lessons.services.hints).
- `POST /conversations/<uuid>/hints/<id>/chosen/`: which suggestion the learner put in the
  typing box (they then say it or send it, as their own turn).

Who may ask, and the CSRF check, are the typed fallback's (tutor/typed_fallback.py). The key
stays here.
"""

from __future__ import annotations

import json
from uuid import UUID

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lessons.models import Conversation, Hint
from lessons.services import conversations as conversation_services
from lessons.services import hints as services
from lessons.services.limits import LimitExceeded
from tutor import logformat
from tutor.conversation import protocol
from tutor.conversation.access import HTTP_STATUS, client_ip, refusal, request_scope
from tutor.learner_texts import unavailable_text
from tutor.live import upstream
from tutor.live.hints import suggest_replies
from tutor.live.text_reply import TutorUnavailable
from tutor.prompts.hints import HINT_TURNS, HintBrief, hint_request, hint_system_instruction


@require_POST
async def hints(request: HttpRequest, pk: UUID) -> HttpResponseBase:
    with logformat.conversation_bound(pk):
        return await _hints(request, pk)


@require_POST
async def chosen(request: HttpRequest, pk: UUID, hint_id: int) -> HttpResponseBase:
    conversation = await _conversation(request, pk)
    if isinstance(conversation, JsonResponse):
        return conversation
    index = _index(request)
    if index is None or not await sync_to_async(services.hint_choose)(
        conversation_id=conversation.pk, hint_id=hint_id, index=index
    ):
        return _failure("bad_request", _("That suggestion is not one of this conversation's."), 400)
    return JsonResponse({"chosen": index})


async def _hints(request: HttpRequest, pk: UUID) -> HttpResponseBase:
    conversation = await _conversation(request, pk)
    if isinstance(conversation, JsonResponse):
        return conversation
    try:
        hint, brief = await sync_to_async(_prepare)(conversation, client_ip(request))
    except LimitExceeded as exc:
        return _failure("rate_limited", str(exc), 429)
    if brief is None:
        return _payload(hint, cached=True)
    try:
        found = await suggest_replies(
            upstream.client(),
            model=settings.GEMINI_TEXT_MODEL,
            system_instruction=hint_system_instruction(brief),
            request=hint_request(brief),
        )
    except TutorUnavailable as exc:
        return _failure(exc.code, unavailable_text(exc), 503)
    stored = await sync_to_async(services.hint_store)(
        hint_id=hint.pk, suggestions=[{"text": s.text, "gloss": s.gloss} for s in found]
    )
    return _payload(stored, cached=False)


async def _conversation(request: HttpRequest, pk: UUID) -> Conversation | JsonResponse:
    """The conversation if this visitor may talk in it now, else the refusal to send."""
    conversation = await sync_to_async(_load)(pk)
    code = refusal(conversation, await sync_to_async(request_scope)(request))
    if code == protocol.CLOSE_TRIAL_OVER:
        return _trial_over()
    if code is not None or conversation is None:
        status = HTTP_STATUS.get(code or protocol.CLOSE_NOT_YOURS, 404)
        message = (
            _("This conversation has ended.")
            if code == protocol.CLOSE_GONE
            else _("Sign in to continue this conversation.")
            if code == protocol.CLOSE_NOT_SIGNED_IN
            else _("This conversation is not available.")
        )
        return _failure("not_available", message, status)
    if conversation.is_trial and await sync_to_async(_trial_over_now)(conversation):
        return _trial_over()
    return conversation


def _load(pk: UUID) -> Conversation | None:
    return Conversation.objects.select_related("learner", "topic").filter(pk=pk).first()


def _trial_over_now(conversation: Conversation) -> bool:
    """A trial whose minute has run out (a hint does not start the clock: only talking does)."""
    started = conversation.first_audio_at
    if started is None:
        return False
    if (timezone.now() - started).total_seconds() < settings.TRIAL_SECONDS:
        return False
    conversation_services.conversation_finish(conversation_id=conversation.pk, reason="trial_over")
    return True


def _prepare(conversation: Conversation, ip: str | None) -> tuple[Hint, HintBrief | None]:
    """The hint already given at this point (and no brief), or a new model call counted
    against the limits (LimitExceeded) and what to ask it. One thread hop: it is all database."""
    point = services.hint_point(conversation_id=conversation.pk)
    kept = services.hint_cached(conversation_id=conversation.pk, point=point)
    if kept is not None:
        return kept, None
    services.hint_check_rate(conversation=conversation, ip=ip)
    hint = services.hint_begin(conversation_id=conversation.pk, point=point, ip=ip)
    learner, topic = upstream.briefs(conversation)
    history = conversation_services.conversation_history(
        conversation_id=conversation.pk, limit=HINT_TURNS
    )
    return hint, HintBrief(learner, topic, history)


def _payload(hint: Hint, *, cached: bool) -> JsonResponse:
    return JsonResponse(
        {
            "hint": hint.pk,
            "suggestions": hint.suggestions,
            "cached": cached,
            "chosenUrl": reverse("tutor:hint_chosen", args=[hint.conversation_id, hint.pk]),
        }
    )


def _index(request: HttpRequest) -> int | None:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    index = body.get("index") if isinstance(body, dict) else None
    return index if isinstance(index, int) and not isinstance(index, bool) else None


def _trial_over() -> JsonResponse:
    return JsonResponse(
        {
            "error": "trial_over",
            "message": _("Your free minute is over."),
            "signupUrl": reverse("account_signup"),
        },
        status=403,
    )


def _failure(error: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": error, "message": message}, status=status)
