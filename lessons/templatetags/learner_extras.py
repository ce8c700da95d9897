"""Short human figures for the learner's pages: "12 min", "in 4 days", "38%"."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def minutes(value: float | None) -> str:
    """Minutes as "45 s" under one minute, "12 min" under two hours, else "2 h 5 min"."""
    if value is None:
        return "–"
    if value < 1:
        return _("%(n)s s") % {"n": round(value * 60)}
    whole = round(value)
    if whole < 120:
        return _("%(n)s min") % {"n": whole}
    return _("%(hours)s h %(minutes)s min") % {"hours": whole // 60, "minutes": whole % 60}


@register.filter
def interval(value: timedelta) -> str:
    """A review interval as Anki writes it: "1 min", "10 min", "3 h", "4 days", "2 mo"."""
    seconds = value.total_seconds()
    if seconds < 3600:
        return _("%(n)s min") % {"n": max(1, round(seconds / 60))}
    if seconds < 86400:
        return _("%(n)s h") % {"n": round(seconds / 3600)}
    days = round(seconds / 86400)
    if days < 31:
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    if days < 365:
        return _("%(n)s mo") % {"n": round(days / 30.4)}
    return _("%(n)s yr") % {"n": f"{days / 365:.1f}"}


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


@register.filter
def decimal(value: float | None, places: int = 0) -> str:
    return "–" if value is None else f"{value:.{places}f}"
