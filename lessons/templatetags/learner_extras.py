"""Short human figures for the learner's pages: "12 min", "in 4 days", "38%"."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: float | None) -> str:
    """Minutes as "45 s" under one minute, "12 min" under two hours, else "2 h 5 min"."""
    if value is None:
        return "–"
    if value < 1:
        return f"{round(value * 60)} s"
    whole = round(value)
    if whole < 120:
        return f"{whole} min"
    return f"{whole // 60} h {whole % 60} min"


@register.filter
def interval(value: timedelta) -> str:
    """A review interval as Anki writes it: "1 min", "10 min", "3 h", "4 days", "2 mo"."""
    seconds = value.total_seconds()
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h"
    days = round(seconds / 86400)
    if days < 31:
        return "1 day" if days == 1 else f"{days} days"
    if days < 365:
        return f"{round(days / 30.4)} mo"
    return f"{days / 365:.1f} yr"


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


@register.filter
def decimal(value: float | None, places: int = 0) -> str:
    return "–" if value is None else f"{value:.{places}f}"
