"""The public landing page and the learner's home."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.choices import CAN_DO, TARGET_LANGUAGES
from accounts.requests import AuthedRequest
from lessons.models import Topic
from lessons.selectors.assignments import home_assignments_for
from lessons.selectors.deck import deck_summary


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("teach:dashboard" if request.user.is_teacher else "lessons:home")
    return render(
        request, "lessons/landing.html", {"languages": TARGET_LANGUAGES, "can_do": CAN_DO}
    )


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    topics = list(
        Topic.objects.builtin()
        .for_language(user.target_language)
        .suits_level(user.level)
        .order_by("level_min", "title")
    )
    other_topics = list(
        Topic.objects.builtin()
        .for_language(user.target_language)
        .exclude(pk__in=[t.pk for t in topics])
        .order_by("level_min", "title")
    )
    assignments = home_assignments_for(user)
    context = {
        "topics": topics,
        "other_topics": other_topics,
        "deck": deck_summary(user),
        "open_assignments": assignments.open,
        "done_assignments": assignments.done,
    }
    return render(request, "lessons/home.html", context)
