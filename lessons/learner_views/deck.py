"""The daily review of the learner's phrase cards: show a prompt, reveal, grade."""

from __future__ import annotations

import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.requests import AuthedRequest
from lessons.models import Phrase, Review
from lessons.selectors.deck import card_face, deck_summary, next_card
from lessons.services.deck import StaleGrade, grade_intervals, phrase_grade
from lessons.templatetags.learner_extras import interval
from lessons.text.worddiff import word_diff

MAX_DURATION_MS = 3_600_000  # longer than an hour on one card: the tab was left open


class GradeForm(forms.Form):
    phrase = forms.IntegerField(min_value=1)
    rating = forms.TypedChoiceField(choices=Review.Rating.choices, coerce=int)
    reps = forms.IntegerField(min_value=0)
    shown_at = forms.IntegerField(min_value=0, required=False)


def _now_ms() -> int:
    return int(time.time() * 1000)


@login_required
@require_GET
def deck(request: AuthedRequest) -> HttpResponse:
    summary = deck_summary(request.user)
    card = next_card(request.user, new_allowed=summary["new_today"] > 0)
    context: dict[str, object] = {"summary": summary, "card": card}
    if card is not None:
        face = card_face(card)
        after = grade_intervals(card)
        context |= {
            "face": face,
            "grades": [(r.value, r.label, interval(after[r.value])) for r in Review.Rating],
            "diff": word_diff(face.prompt, face.answer, card.language)
            if face.is_correction
            else None,
            "prompt_lang": card.language
            if face.is_correction or not card.translation
            else request.user.native_language,
            "shown_at": _now_ms(),
        }
    return render(request, "lessons/learner/deck.html", context)


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
        messages.info(request, "That card was already graded (in another tab?).")
    else:
        label = Review.Rating(data["rating"]).label
        wait = interval(phrase.due - timezone.now())
        messages.success(request, f"{label}: “{phrase.text}” comes back in {wait}.")
    return redirect("learn:deck")
