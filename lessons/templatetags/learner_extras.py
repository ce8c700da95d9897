"""Short human figures for the learner's pages: "12 min", "in 4 days", "38%".

Numbers go through Django's localization (`number_format`), so a German page reads "1,5" and
"38 %" where the English one reads "1.5" and "38%", as static/js/l10n.js writes them."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

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
    return _("%(n)s yr") % {"n": number_format(days / 365, 1)}


@register.filter
def percent(value: float | None) -> str:
    """A fraction (0..1) as a whole percentage."""
    return "–" if value is None else percentage(round(value * 100))


@register.filter
def percentage(value: float | None) -> str:
    """A number already in percent (0..100), whole, with the language's percent sign: "38 %"
    in French and German, "38%" in English."""
    if value is None:
        return "–"
    return pgettext("a percentage", "%(number)s%%") % {"number": number_format(round(value))}


@register.filter
def decimal(value: float | None, places: int = 0) -> str:
    return "–" if value is None else number_format(value, places)
