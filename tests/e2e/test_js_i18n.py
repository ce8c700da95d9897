"""The page scripts' text goes through the djangojs catalog (/jsi18n/, loaded by base.html
before every page script): in Chromium, every page with a script runs without a script error,
and on the conversation page the labels the scripts write come from the catalog's gettext,
shown by a stand-in catalog that brackets each string it is given."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, Route, expect

from lessons.services.conversations import conversation_start
from tests.e2e.browser import WAIT_MS, signed_in_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A catalog with Django's four functions that marks what it translates: ⟦Mute⟧, not Mute.
BRACKETING_CATALOG = """
const mark = (s) => "⟦" + s + "⟧";
window.gettext = (s) => mark(s);
window.ngettext = (one, many, n) => mark(n === 1 ? one : many);
window.pgettext = (context, s) => mark(s);
window.interpolate = (format, values, named) =>
  named
    ? format.replace(/%\\((\\w+)\\)s/g, (_, name) => String(values[name]))
    : format.replace(/%s/g, () => String(values.shift()));
"""


def _errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_every_page_script_runs_with_the_catalog(
    server: str, chromium: Browser, alice: Any
) -> None:
    conversation = conversation_start(learner=alice, topic=None)
    page = signed_in_page(chromium, server, alice)
    errors = _errors(page)
    for path in (
        conversation.get_absolute_url(),
        reverse("learn:progress"),
        reverse("accounts:profile"),
        reverse("learn:deck"),
    ):
        page.goto(server + path)
        page.wait_for_load_state("load")
        functions = page.evaluate(
            "() => ['gettext', 'ngettext', 'pgettext', 'interpolate'].map((f) => typeof window[f])"
        )
        assert functions == ["function"] * 4, path
        assert page.evaluate("() => gettext('Start talking')") == "Start talking"  # English
    assert errors == []


def test_the_conversation_page_writes_its_labels_through_the_catalog(
    server: str, chromium: Browser, alice: Any
) -> None:
    conversation = conversation_start(learner=alice, topic=None)
    page = signed_in_page(chromium, server, alice)
    errors = _errors(page)

    def bracketing(route: Route) -> None:
        route.fulfill(status=200, content_type="text/javascript", body=BRACKETING_CATALOG)

    page.route("**/jsi18n/?lang=*", bracketing)
    page.goto(server + conversation.get_absolute_url())
    page.click("#talk-button")
    # Mute is the talk button's label once the microphone is on (stage.js's MODES).
    expect(page.locator("#talk-label")).to_have_text("⟦Mute⟧", timeout=WAIT_MS)
    expect(page.locator("#talk-button")).to_have_attribute("aria-label", "⟦Mute microphone⟧")
    expect(page.locator("#talk-hint")).to_contain_text("⟦The tutor hears you.")
    # The tutor's first line settles with its speaker's name from the catalog.
    expect(page.locator(".turn-tutor[data-turn] .turn-who").first).to_have_text(
        "⟦Tutor⟧", timeout=WAIT_MS
    )
    expect(page.locator("#announcer")).to_contain_text("⟦Tutor: ")
    assert errors == []
