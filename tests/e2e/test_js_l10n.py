"""The page scripts' figures in the interface language (static/js/l10n.js: Intl with
<html lang>): in Chromium, a German or French page shows a decimal comma, its own percent sign
and its own day names where the English page shows a point and English ones."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from tests.base import make_user
from tests.e2e.browser import WAIT_MS, signed_in_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The progress page's charts as Chart.js drew them: the first day's label, and the label of
# the minutes axis's first tick above zero (all-zero data: the axis runs 0 to 1 by tenths).
CHARTS = """() => {
  const days = Chart.getChart("chart-days");
  const ticks = days.scales.y.ticks.filter((tick) => tick.value > 0 && tick.value < 1);
  return {
    day: days.data.labels.at(-1),
    tick: ticks.length ? days.scales.y.getLabelForValue(ticks[0].value) : null,
    week: Chart.getChart("chart-weeks").data.labels.at(-1),
  };
}"""


def _progress(chromium: Browser, server: str, native: str) -> tuple[Page, dict[str, Any]]:
    learner = make_user(f"figures.{native}@example.org", native_language=native)
    page = signed_in_page(chromium, server, learner)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + reverse("learn:progress"))
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-days')", timeout=WAIT_MS)
    drawn: dict[str, Any] = page.evaluate(CHARTS)
    assert errors == []
    assert page.evaluate("() => document.documentElement.lang") == native
    return page, drawn


def test_the_progress_charts_speak_the_pages_language(server: str, chromium: Browser) -> None:
    _, english = _progress(chromium, server, "en")
    _, german = _progress(chromium, server, "de")
    _, french = _progress(chromium, server, "fr")
    assert english["tick"] == "0.1" and german["tick"] == "0,1" and french["tick"] == "0,1"
    # The same day, named by each language's own rules (German: "Sa., 5. Dez.").
    assert english["day"] != german["day"] != french["day"]
    assert german["day"].split(",")[0].endswith(".")  # "Sa." / "So." …: German's abbreviation
    assert any(c.isdigit() for c in german["week"]) and german["week"] != english["week"]


def test_the_shared_formats_follow_the_html_lang(server: str, chromium: Browser) -> None:
    """What the page scripts call (minutes, percentages, clocks, lists)."""
    figures = (
        "() => [l10n.decimal(1.5, 1), l10n.percent(0.45), l10n.clock(125), "
        "l10n.list(['Ana', 'Ben', 'Carla']), l10n.number(12345)]"
    )
    results = {}
    for native in ("en", "fr", "de", "ja"):
        page, _ = _progress(chromium, server, native)
        # Intl separates with no-break spaces (narrow in French): compared as plain spaces.
        said = page.evaluate(figures)
        results[native] = [text.replace("\u202f", " ").replace("\xa0", " ") for text in said]
    assert results["en"] == ["1.5", "45%", "2:05", "Ana, Ben, and Carla", "12,345"]
    assert results["de"] == ["1,5", "45 %", "2:05", "Ana, Ben und Carla", "12.345"]
    decimal, percent, clock, names, number = results["fr"]
    assert (decimal, clock, names) == ("1,5", "2:05", "Ana, Ben et Carla")
    assert (percent, number) == ("45 %", "12 345")
    assert results["ja"][3] == "Ana、Ben、Carla"
