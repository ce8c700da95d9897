"""Speaking drills in Chromium: a card answered by voice through the fake microphone, heard by
the emulator (which recognises only its own voice, tutor/emulator/hearing.py), the model
answer played from the server, the grade fed to the schedule, and the deck's last word."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from lessons.models import DrillAttempt, Phrase, Review
from tests.e2e.browser import WAIT_MS, screenshot, signed_in_page
from tests.lessons.learner_data import make_conversation, make_phrase

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def codec() -> str:
    """The drill page sends WAV over HTTP whatever the browser's codecs: one run is enough."""
    return "opus"


def _deck_with_a_correction(alice: User) -> Phrase:
    make_conversation(
        alice, corrections=[(3, "Ayer yo voy al cine", "Ayer fui al cine", "grammar")]
    )
    make_phrase(alice, "la cuenta, por favor", translation="the bill, please")
    return Phrase.objects.get(source_correction__isnull=False)


def _state(page: Page) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate("() => window.tertuliaDrill")
    return state


def _speak_and_wait(page: Page) -> dict[str, Any]:
    page.click("[data-record]")
    page.wait_for_function("() => window.tertuliaDrill.results.length > 0", timeout=WAIT_MS)
    return _state(page)["results"][0]


def _open_deck(browser: Browser, server: str, alice: User) -> Page:
    page = signed_in_page(browser, server, alice)
    page.goto(server + "/learn/deck/")
    expect(page.locator(".flash-prompt")).to_have_text("Ayer yo voy al cine")
    return page


@pytest.mark.smoke
def test_a_card_answered_aloud_is_heard_checked_played_back_and_graded(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    alice: User,
) -> None:
    card = _deck_with_a_correction(alice)
    page = _open_deck(launch(speech_wav("Ayer fui al cine", 0.6)), server, alice)

    assert _speak_and_wait(page) == {"heard": "Ayer fui al cine", "matched": True}
    expect(page.locator(".drill-verdict")).to_contain_text("That's it!")
    expect(page.locator("[data-heard]")).to_have_text("Ayer fui al cine")
    # The answer opens and the suggested grade (Good) takes the focus: Enter confirms it.
    expect(page.locator("[data-reveal]")).to_have_attribute("open", "")
    expect(page.locator(".grade-3")).to_be_focused()

    page.click("[data-listen]")
    page.wait_for_function(
        "() => window.tertuliaDrill.played.some((p) => p.source === 'server' && p.ended)",
        timeout=WAIT_MS,
    )
    screenshot(page, "drill-heard")
    attempt = DrillAttempt.objects.get()
    assert (attempt.phrase_id, attempt.mode, attempt.heard, attempt.matched) == (
        card.pk,
        "spoken",
        "Ayer fui al cine",
        True,
    )
    assert card.audio.text == "Ayer fui al cine"  # the model answer, spoken once and kept

    page.keyboard.press("3")  # Good, by its shortcut
    expect(page.locator(".flash-prompt")).to_have_text("the bill, please")
    assert list(Review.objects.values_list("phrase_id", "rating")) == [(card.pk, 3)]

    page.click(".flash-reveal summary")
    page.click(".grade-4")
    # The first card, in its learning steps, comes back early rather than in 10 minutes.
    expect(page.locator(".flash-prompt")).to_have_text("Ayer yo voy al cine")
    expect(page.locator(".lede")).to_contain_text("1 to review now")
    page.click(".flash-reveal summary")
    page.keyboard.press("3")
    expect(page.locator("#done-heading")).to_have_text("Done for today")
    next_batch = re.compile(r"Next: \d cards? (tomorrow|on )")
    expect(page.locator(".done-next")).to_contain_text(next_batch)
    screenshot(page, "drill-done")


def test_repeating_the_old_mistake_is_heard_and_suggests_again(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    alice: User,
) -> None:
    _deck_with_a_correction(alice)
    page = _open_deck(launch(speech_wav("Ayer yo voy al cine", 0.6)), server, alice)

    assert _speak_and_wait(page) == {"heard": "Ayer yo voy al cine", "matched": False}
    expect(page.locator(".drill-verdict")).to_contain_text("Not quite.")
    expect(page.locator(".drill-compare del")).to_have_text("yo voy")
    expect(page.locator(".drill-compare ins")).to_have_text("fui")
    expect(page.locator(".grade-1")).to_be_focused()
    screenshot(page, "drill-not-quite")


def test_without_a_microphone_typing_still_checks_the_answer(
    server: str, launch: Callable[..., Browser], alice: User
) -> None:
    _deck_with_a_correction(alice)
    page = _open_deck(launch(allow_mic=False), server, alice)
    page.click("[data-record]")
    expect(page.locator("[data-drill-status]")).to_contain_text("Microphone access is blocked")
    page.fill("#typed-answer", "ayer fui al cine")
    page.click(".drill-type button[type=submit]")
    expect(page.locator(".drill-verdict")).to_contain_text("That's it!")
    expect(page.locator(".grade-3")).to_be_focused()
