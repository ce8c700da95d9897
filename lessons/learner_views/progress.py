"""The learner's progress: charts (drawn by static/js/progress.js) and the same numbers as
tables."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import dateformat
from django.views.decorators.http import require_GET

from accounts.requests import AuthedRequest
from lessons.models import Correction
from lessons.selectors.groups import group_share
from lessons.selectors.progress import Period, ProgressStats, progress_stats

KINDS = list(Correction.Kind)


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def _week_row(week: Period) -> dict[str, Any]:
    figures = week.figures
    share = figures.talk_share
    return {
        "start": week.start,
        "minutes": round(figures.minutes, 1),
        "wpm": _round(figures.words_per_minute, 0),
        "share": _round(share * 100 if share is not None else None, 0),
        "per100": [_round(week.per_100_words(kind), 2) for kind in KINDS],
        # The same with each kind's name: the table's cells are labelled on a phone.
        "per100_by_kind": [(kind.label, _round(week.per_100_words(kind), 2)) for kind in KINDS],
        "conversations": week.conversations,
    }


def _chart_data(progress: ProgressStats, weeks: list[dict[str, Any]]) -> dict[str, Any]:
    """Plain numbers for the charts. Days and weeks go as ISO dates ("2026-12-05"), which
    static/js/progress.js names in the page's language (Intl); levels are CEFR codes."""
    return {
        "days": {
            "dates": [dateformat.format(day.start, "Y-m-d") for day in progress.days],
            "minutes": [round(day.figures.minutes, 1) for day in progress.days],
        },
        "weeks": {
            "dates": [dateformat.format(week["start"], "Y-m-d") for week in weeks],
            "minutes": [week["minutes"] for week in weeks],
            "wpm": [week["wpm"] for week in weeks],
            "share": [week["share"] for week in weeks],
            "per100": {
                str(kind.label): [week["per100"][i] for week in weeks]
                for i, kind in enumerate(KINDS)
            },
        },
        "levels": {
            "labels": [level for level, _, _ in progress.levels],
            "topics": [topics for _, topics, _ in progress.levels],
        },
    }


@login_required
@require_GET
def progress(request: AuthedRequest) -> HttpResponse:
    figures = progress_stats(request.user)
    weeks = [_week_row(week) for week in figures.weeks]
    context = {
        "progress": figures,
        "weeks": weeks,
        "kinds": [kind.label for kind in KINDS],
        "chart_data": _chart_data(figures, weeks),
        "has_data": figures.totals.conversations > 0,
        "group": group_share(request.user),
    }
    return render(request, "lessons/learner/progress.html", context)
