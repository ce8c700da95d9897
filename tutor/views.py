"""Starting conversations, the conversation page and ending one. The typed (HTTP) fallback is
`tutor.typed_fallback`."""

from __future__ import annotations

import json
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import TARGET_LANGUAGES
from accounts.requests import AuthedRequest
from lessons.models import Assignment, Conversation, PlacementResult, Topic, Turn
from lessons.services import conversations as services
from tutor import metrics
from tutor.audio.frames import OPUS_RATES
from tutor.conversation import memory
from tutor.conversation.access import TRIAL_SESSION_KEY, client_ip, owns, request_scope
from tutor.conversation.close_notices import CLOSE_NOTICES, PLACEMENT_NOTICES
from tutor.conversation.feedback import TargetPhrases, correction_diff


@require_POST
@login_required
def start(request: AuthedRequest) -> HttpResponse:
    """Start a conversation on a topic, an assignment, or free talk (no topic)."""
    user = request.user
    topic = assignment = None
    if request.POST.get("assignment"):
        assignment = get_object_or_404(
            Assignment.objects.select_related("topic", "classroom"),
            pk=_int(request.POST["assignment"]),
            classroom__learners=user,
        )
        if assignment.archived_at or assignment.classroom.archived_at:
            messages.error(request, _("Your teacher has closed this assignment."))
            return redirect("lessons:home")
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


def conversation_page(request: HttpRequest, pk: UUID) -> HttpResponse:
    conversation = (
        Conversation.objects.select_related("topic", "assignment", "learner").filter(pk=pk).first()
    )
    if conversation is None or not owns(conversation, request_scope(request)):
        if not request.user.is_authenticated and conversation and conversation.learner_id:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        raise Http404("No such conversation")
    if conversation.status != Conversation.Status.ACTIVE:
        return redirect(_after_url(conversation))
    if conversation.group_room_id is not None:
        # A member's copy of a group conversation is talked in on the room's page, whose one
        # Live session serves everyone (docs/groups.md), never on a session of its own.
        return redirect("lessons:group_room", room_id=conversation.group_room_id)
    turns = list(conversation.turns.prefetch_related("corrections", "upgrades").order_by("ordinal"))
    for turn in turns:
        for upgrade in turn.upgrades.all():  # "say it better", drawn like a correction
            diff = correction_diff(upgrade.original, upgrade.upgraded, conversation.language)
            upgrade.diff_json = json.dumps(diff, ensure_ascii=False)  # type: ignore[attr-defined]
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
            "hintsUrl": reverse("tutor:hints", args=[conversation.pk]),
            "nativeLanguage": conversation.learner.native_language if conversation.learner else "",
            "endUrl": reverse("tutor:end", args=[conversation.pk]),
            "trial": conversation.is_trial,
            "trialSeconds": settings.TRIAL_SECONDS,
            "signupUrl": reverse("account_signup"),
            "demo": settings.DEMO_TUTOR,
            "correctionStyle": conversation.correction_style,
            "language": conversation.language,
            "reconnectGraceSeconds": settings.RECONNECT_GRACE_SECONDS,
            "opusRates": list(OPUS_RATES),
            "closes": PLACEMENT_NOTICES if conversation.is_placement else CLOSE_NOTICES,
        },
    }
    return render(request, "tutor/conversation.html", context)


def _after_url(conversation: Conversation) -> str:
    """Where a finished conversation sends its learner: the review page, or sign-up."""
    if conversation.learner_id is None:
        return reverse("account_signup")
    if conversation.is_placement:  # the result page works out the level (tutor.placement)
        result = PlacementResult.objects.filter(conversation=conversation).first()
        if result is not None:
            return reverse("learn:placement_result", args=[result.pk])
    return reverse("learn:conversation_review", args=[conversation.pk])


@require_POST
def end(request: HttpRequest, pk: UUID) -> HttpResponse:
    conversation = Conversation.objects.filter(pk=pk).first()
    if conversation is None or not owns(conversation, request_scope(request)):
        raise Http404("No such conversation")
    services.conversation_finish(conversation_id=conversation.pk, reason="learner_ended")
    if conversation.learner_id is not None:
        memory.remember_after(conversation.pk)  # in the background; a trial is never sent
    if conversation.learner_id is None:
        messages.info(request, _("Sign up to keep this conversation and review your corrections."))
    return redirect(_after_url(conversation))


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("Not found") from None
