"""The daily review of the learner's phrase cards: show a prompt; answer it by voice, by typing
or by turning the card over; grade. Spoken answers go to `tutor.drills` (they need Gemini);
a typed answer is checked here, by the same rule (`lessons.services.drills`)."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.requests import AuthedRequest
from lessons.models import Phrase, Review
from lessons.selectors.deck import card_face, deck_outlook, deck_summary, next_card
from lessons.services.deck import StaleGrade, grade_intervals, phrase_grade
from lessons.services.drills import DrillResult, drill_check, drill_record
from lessons.templatetags.learner_extras import interval
from lessons.text.worddiff import word_diff

MAX_DURATION_MS = 3_600_000  # longer than an hour on one card: the tab was left open


class GradeForm(forms.Form):
    phrase = forms.IntegerField(min_value=1)
    rating = forms.TypedChoiceField(choices=Review.Rating.choices, coerce=int)
    reps = forms.IntegerField(min_value=0)
    shown_at = forms.IntegerField(min_value=0, required=False)


class CheckForm(forms.Form):
    phrase = forms.IntegerField(min_value=1)
    answer = forms.CharField(max_length=300, strip=True)
    shown_at = forms.IntegerField(min_value=0, required=False)


def _now_ms() -> int:
    return int(time.time() * 1000)


@login_required
@require_GET
def deck(request: AuthedRequest) -> HttpResponse:
    summary = deck_summary(request.user)
    card = next_card(request.user, new_allowed=summary["new_today"] > 0)
    if card is None:
        context = {"summary": summary, "outlook": deck_outlook(request.user, summary)}
        return render(request, "lessons/learner/deck.html", context)
    return render(request, "lessons/learner/deck.html", _card_context(request, card, summary))


@login_required
@require_POST
def check(request: AuthedRequest) -> HttpResponse:
    """A typed answer: compared with the card, recorded, and shown with the answer revealed."""
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type your answer (at most 300 characters) before checking."))
        return redirect("learn:deck")
    card = _cards(request.user).filter(pk=form.cleaned_data["phrase"]).first()
    if card is None:
        raise Http404("No such card")
    result = drill_check(phrase=card, heard=form.cleaned_data["answer"])
    drill_record(learner=request.user, phrase=card, mode="typed", result=result)
    context = _card_context(
        request, card, deck_summary(request.user), result, form.cleaned_data["shown_at"]
    )
    return render(request, "lessons/learner/deck.html", context)


def _cards(user: User) -> QuerySet[Phrase]:
    return Phrase.objects.filter(learner=user).select_related(
        "source_correction", "source_upgrade", "source_turn", "conversation__topic"
    )


def _card_context(
    request: AuthedRequest,
    card: Phrase,
    summary: dict[str, object],
    result: DrillResult | None = None,
    shown_at: int | None = None,
) -> dict[str, object]:
    face = card_face(card)
    after = grade_intervals(card)
    return {
        "summary": summary,
        "card": card,
        "face": face,
        "grades": [(r.value, r.label, interval(after[r.value])) for r in Review.Rating],
        "suggested": result.suggested_rating if result else Review.Rating.GOOD,
        "result": result,
        "mode": "typed",
        "diff": word_diff(face.prompt, face.answer, card.language) if face.is_correction else None,
        "prompt_lang": card.language
        if face.is_correction or not card.translation
        else request.user.native_language,
        "shown_at": shown_at or _now_ms(),
        "demo": settings.DEMO_TUTOR,
        "drill": {
            "spokenUrl": reverse("tutor:drill_spoken", args=[card.pk]),
            "language": card.language,
        },
    }


@login_required
@require_POST
def grade(request: AuthedRequest) -> HttpResponse:
    form = GradeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Invalid grade.")
    data = form.cleaned_data
    shown_at = data["shown_at"]
    duration = _now_ms() - shown_at if shown_at else None
    try:
        phrase = phrase_grade(
            learner=request.user,
            phrase_id=data["phrase"],
            rating=data["rating"],
            expected_reps=data["reps"],
            duration_ms=duration if duration and 0 <= duration <= MAX_DURATION_MS else None,
        )
    except Phrase.DoesNotExist:
        raise Http404("No such card") from None
    except StaleGrade:
        messages.info(request, _("That card was already graded (in another tab?)."))
    else:
        label = Review.Rating(data["rating"]).label
        wait = interval(phrase.due - timezone.now())
        messages.success(
            request,
            _("%(grade)s: “%(text)s” comes back in %(wait)s.")
            % {"grade": label, "text": phrase.text, "wait": wait},
        )
    return redirect("learn:deck")
