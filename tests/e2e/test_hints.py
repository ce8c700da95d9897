""" "What could I say?" in Chromium, with the fake microphone: the learner presses Alt+H during
a role-play, hears the suggestions announced, takes one into the typing box and sends it as
their own turn; the review page then marks that turn "hint used". Suggestions come from the
emulator's text endpoint, which suggests the scene's next target phrases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lessons.models import Hint, Turn
from tests.base import make_topic
from tests.e2e.browser import PHONE, WAIT_MS, screenshot
from tutor.emulator.roleplay import lines_for
from tutor.emulator.turns import WPM
from tutor.emulator.voice import synthesize

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OPENER = "¡Hola! ¿Qué le pongo?"
PHRASES = ["Quisiera un café con leche.", "¿Cuánto cuesta?", "La cuenta, por favor."]


def _no_sideways_scroll(page: Page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def test_alt_h_suggests_replies_and_the_one_sent_is_marked_on_the_review(
    speaking: Callable[..., Page], alice: Any
) -> None:
    topic = make_topic(target_phrases=PHRASES, opener=OPENER)
    page = speaking("", 0.0, topic)  # the microphone is on, and quiet
    expect(page.locator(".turn-tutor[data-turn]").first).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#hint-button")).to_have_attribute("aria-keyshortcuts", "Alt+H")

    page.set_viewport_size(PHONE)  # a phone: the panel must fit, and the focus be in sight
    page.keyboard.press("Alt+KeyH")
    choices = page.locator("#hint-list .hint-choice")
    expect(choices).to_have_count(3, timeout=WAIT_MS)
    expect(choices.locator(".hint-text")).to_have_text([*PHRASES])
    expect(choices.first.locator(".hint-gloss")).to_have_text("Telling them something about you")
    expect(page.locator("#hint-button")).to_have_attribute("aria-expanded", "true")
    # Announced through the transcript's live region, and the first choice has the focus.
    expect(page.locator("#announcer")).to_contain_text("3 things you could say")
    expect(choices.first).to_be_focused()

    assert _no_sideways_scroll(page)
    expect(choices.first).to_be_in_viewport()
    screenshot(page, "hints")

    page.keyboard.press("Enter")  # take the focused suggestion
    expect(page.locator("#typed")).to_have_value(PHRASES[0])
    expect(page.locator("#typed")).to_be_focused()
    expect(page.locator("#hints")).to_be_hidden()
    page.keyboard.press("Enter")  # and send it, as the learner's own line
    learner = page.locator(".turn-learner[data-turn]").first
    expect(learner.locator(".turn-text")).to_have_text(PHRASES[0], timeout=WAIT_MS)
    page.wait_for_function(
        "() => window.tertulia.captions.some((c) => c.speaker === 'learner')", timeout=WAIT_MS
    )
    page.wait_for_function("() => window.tertulia.hintChosen === 200", timeout=WAIT_MS)
    hint = Hint.objects.get()
    assert (hint.chosen, hint.suggestions[0]["text"]) == (0, PHRASES[0])

    # Asking again at the next point gives the scene's next phrase first.
    page.wait_for_function(
        "() => window.tertulia.captions.filter((c) => c.speaker === 'tutor').length >= 2",
        timeout=WAIT_MS,
    )
    page.get_by_role("button", name="What could I say?").click()
    expect(choices.first.locator(".hint-text")).to_have_text(PHRASES[1], timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(page.locator("#hints")).to_be_hidden()
    expect(page.locator("#hint-button")).to_be_focused()

    page.click("#end-button")
    page.wait_for_url(f"**/learn/conversations/{hint.conversation_id}/", timeout=WAIT_MS)
    said = Turn.objects.get(speaker="learner")  # stored by now: ending flushed the writes
    assert said.source == "typed" and said.ordinal >= hint.next_ordinal
    turn = page.locator(f"#turn-{said.ordinal}")
    expect(turn.locator(".turn-hint")).to_have_text("hint used")
    expect(page.locator(".turn-hint")).to_have_count(1)
    expect(turn.locator(".hints-shown summary")).to_contain_text("one was said")


def test_a_suggestion_said_aloud_is_the_learners_spoken_turn_and_marked(
    speaking: Callable[..., Page], alice: Any
) -> None:
    """The learner picks a suggestion and says it into the (fake) microphone instead of
    sending it. The emulator cannot recognise speech: it "hears" the scene's next phrase,
    which is the suggestion, as a real model would hear the learner say it."""
    topic = make_topic(target_phrases=PHRASES, opener=OPENER)
    greeting = f"{lines_for('es').notice} {OPENER}"
    # Speak once the greeting has been heard and there was time to pick a suggestion.
    lead = len(synthesize(greeting, "es", 24000, WPM["A"])) / 48000 + 4.0
    page = speaking(PHRASES[0], lead, topic)
    expect(page.locator(".turn-tutor[data-turn]").first).to_be_visible(timeout=WAIT_MS)
    page.get_by_role("button", name="What could I say?").click()
    page.locator("#hint-list .hint-choice").first.click(timeout=WAIT_MS)
    expect(page.locator("#typed")).to_have_value(PHRASES[0])
    page.wait_for_function("() => window.tertulia.hintChosen === 200", timeout=WAIT_MS)

    # The scene plants a learner's slip in its first phrase ("una café"), and the tutor
    # corrects it: saying a suggestion is the learner's own turn, slips and all.
    heard = PHRASES[0].replace("un café", "una café")
    learner = page.locator(".turn-learner[data-turn]").first
    expect(learner.locator(".turn-text")).to_have_text(heard, timeout=WAIT_MS)
    expect(learner.locator(".correction ins")).to_have_text("un", timeout=WAIT_MS)
    page.click("#end-button")
    page.wait_for_url("**/learn/conversations/*/", timeout=WAIT_MS)
    said = Turn.objects.get(speaker="learner")
    assert (said.source, said.text) == ("speech", heard)
    turn = page.locator(f"#turn-{said.ordinal}")
    expect(turn.locator(".turn-hint")).to_have_text("hint used")
    expect(turn.locator(".hints-shown summary")).to_contain_text("one was said")
    expect(turn.locator(".hints-shown li").first).to_contain_text("said")
