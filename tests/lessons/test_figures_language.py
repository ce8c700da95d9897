"""The learner's pages' figures (lessons/templatetags/learner_extras.py) in the interface
language: a decimal comma and the language's percent sign where English has a point and "%",
as the page scripts write them (static/js/l10n.js, tests/e2e/test_js_l10n.py)."""

from __future__ import annotations

from datetime import timedelta

from django.template import Context, Template
from django.utils import translation

FIGURES = Template(
    "{% load learner_extras %}"
    "{{ minutes|decimal:1 }} | {{ share|percent }} | {{ whole|percentage }} | {{ long|interval }}"
)


def _figures(code: str) -> list[str]:
    context = Context({"minutes": 1.5, "share": 0.38, "whole": 86, "long": timedelta(days=548)})
    with translation.override(code):
        return [part.strip() for part in FIGURES.render(context).split("|")]


def test_english_figures_keep_their_point_and_percent_sign() -> None:
    assert _figures("en") == ["1.5", "38%", "86%", "1.5 yr"]


def test_german_and_french_figures_have_a_decimal_comma_and_a_spaced_percent_sign() -> None:
    decimal, share, whole, interval = _figures("de")
    assert decimal == "1,5" and interval.startswith("1,5")
    assert (share, whole) == ("38\xa0%", "86\xa0%")
    decimal, share, whole, _ = _figures("fr")
    assert decimal == "1,5" and (share, whole) == ("38\u202f%", "86\u202f%")
    assert _figures("ja")[:3] == ["1.5", "38%", "86%"]


def test_nothing_is_a_dash_only_when_there_is_no_figure() -> None:
    template = Template("{% load learner_extras %}{{ none|percent }}{{ none|percentage }}")
    assert template.render(Context({"none": None})) == "––"
