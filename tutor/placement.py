"""The spoken placement's two actions that need the tutor (its pages are lessons'
`learner_views.placement`):

- `POST /placement/start/`: a placement conversation (lessons.services.placement), then its
  conversation page: the same voice pipeline, emulator and typed fallback as any other.
- `POST /placement/<result>/assess/`: the ended placement's transcript goes to the text model
  (tutor.live.placement); its answer is checked (lessons.placement_rules) and kept with its
  evidence, or the failure is kept with a message, and the result page offers a retry. The
  result page posts here by itself the first time.

Both are for the placement's learner only (anyone else gets a 404). The key stays here.
"""

from __future__ import annotations

import logging
from typing import cast

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.requests import AuthedRequest
from lessons.models import Conversation, PlacementResult
from lessons.placement_rules import InvalidAssessment, parse_assessment
from lessons.services import placement as services
from lessons.services.limits import LimitExceeded
from tutor.conversation.access import client_ip
from tutor.live import upstream
from tutor.live.placement import ASSESS_UNAVAILABLE, TutorUnavailable, assess_placement
from tutor.prompts import assessment_instruction, assessment_request

logger = logging.getLogger(__name__)


@require_POST
@login_required
def start(request: AuthedRequest) -> HttpResponse:
    try:
        result = services.placement_start(learner=request.user, ip=client_ip(request))
    except LimitExceeded as exc:
        messages.error(request, str(exc))
        return redirect("learn:placement")
    return redirect(result.conversation)


@require_POST
@login_required
async def assess(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, await request.auser())  # login_required: never anonymous here
    result = await sync_to_async(_result)(user, pk)
    if result is None:
        raise Http404("No such placement")
    if result.conversation.status == Conversation.Status.ACTIVE:
        return redirect(result.conversation)
    if result.status != PlacementResult.Status.READY:
        await _assess(result)
    return redirect("learn:placement_result", pk=result.pk)


async def _assess(result: PlacementResult) -> None:
    try:
        learner_turns = await sync_to_async(services.placement_begin_attempt)(result)
    except services.PlacementRefused:
        return  # the result page shows why
    conversation = result.conversation
    turns = await sync_to_async(services.placement_transcript)(result)
    request = assessment_request(
        language=conversation.language, level=result.declared_level, turns=turns
    )
    try:
        data = await assess_placement(
            upstream.client(),
            model=settings.GEMINI_TEXT_MODEL,
            system_instruction=assessment_instruction(conversation.language),
            request=request,
        )
        assessment = parse_assessment(data, learner_turns)
    except TutorUnavailable as exc:
        await sync_to_async(services.placement_fail)(result, str(exc))
        return
    except InvalidAssessment as exc:
        logger.info("placement %s: assessment refused (%s)", result.pk, exc)
        await sync_to_async(services.placement_fail)(result, ASSESS_UNAVAILABLE)
        return
    await sync_to_async(services.placement_record)(
        result, assessment, model=settings.GEMINI_TEXT_MODEL
    )


def _result(user: User, pk: int) -> PlacementResult | None:
    results = PlacementResult.objects.select_related("conversation")
    return results.filter(pk=pk, learner=user).first()
