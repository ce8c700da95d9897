"""The pages' figures and dates in the interface language: a decimal comma and the language's
percent sign where English has a point and "%" (lessons/templatetags/learner_extras.py), as the
page scripts write them (static/js/l10n.js, tests/e2e/test_js_l10n.py), and dates in the
language's own order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.base import make_user
from tests.lessons.learner_data import make_conversation

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


@pytest.mark.django_db
def test_dates_on_a_page_follow_the_languages_own_order(client: Client) -> None:
    """The templates' date patterns are the translators' (`|date:_("D j M Y, H:i")`): German
    puts a point after the day, Japanese the year first, where English reads "Sat 5 Dec 2026"."""
    moment = datetime(2026, 12, 5, 15, 7, tzinfo=UTC)
    pages = {}
    for code in ("en", "de", "ja"):
        learner = make_user(f"dates.{code}@example.org", native_language=code)
        make_conversation(learner, started_at=moment)
        client.force_login(learner)
        pages[code] = client.get(reverse("learn:history")).content.decode()
    assert "Sat 5 Dec 2026, 15:07" in pages["en"]
    assert "Sa, 5. Dez 2026, 15:07" in pages["de"]
    assert "2026年12月5日(土) 15:07" in pages["ja"]
