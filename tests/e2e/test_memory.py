"""A tutor that remembers, in Chromium: a new learner tells the demo tutor about their sister
in Lyon, ends the conversation, finds it on their profile, rewrites the line, and the next
conversation's greeting mentions what they wrote. Live server, the emulator and PostgreSQL
(conftest.py); the memory update runs on the server's memory thread against the emulator."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from lessons.models import Conversation, MemoryLine
from tests.e2e.browser import (
    DESKTOP,
    PHONE,
    WAIT_MS,
    debug_state,
    screenshot,
    signed_in_page,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def codec() -> str:
    """Typed lines and captions only: one browser run is enough."""
    return "opus"


def _tutor_captions(page: Page) -> list[str]:
    return [c["text"] for c in debug_state(page)["captions"] if c["speaker"] == "tutor"]


def _greeting(page: Page) -> str:
    page.wait_for_function(
        "() => window.tertulia.captions.some((c) => c.speaker === 'tutor' && c.text.includes('?'))",
        timeout=WAIT_MS,
    )
    return _tutor_captions(page)[0]


def _start_free_talk(page: Page, server: str) -> None:
    page.goto(server + reverse("lessons:home"))
    page.get_by_role("button", name="Free conversation").click()
    page.wait_for_url("**/conversations/*/", timeout=WAIT_MS)
    page.locator("#talk-button").focus()
    page.keyboard.press("Enter")  # no microphone here: the tutor still talks, the learner types
    page.wait_for_function("() => window.tertulia.state === 'live'", timeout=WAIT_MS)


def _profile_with_memory(page: Page, server: str) -> None:
    """The profile, reloaded until the memory update (in the background) has been stored."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        page.goto(server + reverse("accounts:profile"))
        if page.locator(".memory-line").count() or time.monotonic() > deadline:
            return
        time.sleep(0.5)


def test_a_new_learner_is_greeted_next_time_by_a_tutor_that_remembers(
    server: str, launch: Callable[..., Browser], alice: Any
) -> None:
    page = signed_in_page(launch(allow_mic=False), server, alice)

    # First conversation: a stranger. The learner mentions their sister in Lyon.
    _start_free_talk(page, server)
    assert "La última vez" not in _greeting(page)
    page.locator("#typed").fill("Mi hermana vive en Lyon.")
    page.locator("#typed").press("Enter")
    expect(page.locator(".turn-learner[data-turn]")).to_contain_text("Mi hermana vive en Lyon.")
    page.wait_for_function(
        "() => window.tertulia.captions.filter((c) => c.speaker === 'tutor').length >= 2",
        timeout=WAIT_MS,
    )
    page.click("#end-button")
    page.wait_for_url("**/learn/conversations/*/", timeout=WAIT_MS)
    first = Conversation.objects.get(learner=alice)

    # The profile shows what the tutor remembers, in plain words.
    _profile_with_memory(page, server)
    memory = page.locator("#memory")
    expect(memory).to_contain_text("What your tutor remembers")
    line = page.get_by_label("Person", exact=True)
    expect(line).to_have_value('Sister in Lyon: "mi hermana vive en Lyon"')
    assert MemoryLine.objects.get(learner=alice, kind="person").source_id == first.pk
    screenshot(page, "memory-profile")
    page.set_viewport_size(PHONE)  # nothing of the section is cut off on a phone
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    box = page.get_by_role("button", name=re.compile(r"^Save\W+Person line")).bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    page.set_viewport_size(DESKTOP)

    # The learner rewrites the line with the keyboard alone.
    line.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("My sister lives in Marseille now")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(
        "Saved. Your tutor now remembers: “My sister lives in Marseille now”"
    )
    expect(page.get_by_label("Person", exact=True)).to_have_value(
        "My sister lives in Marseille now"
    )

    # Next conversation: the greeting remembers what the learner wrote.
    _start_free_talk(page, server)
    greeting = _greeting(page)
    assert "La última vez me hablaste de Marseille." in greeting, greeting
    assert "Lyon" not in greeting
    screenshot(page, "memory-greeting")


def test_with_memory_off_the_next_greeting_remembers_nothing(
    server: str, launch: Callable[..., Browser], alice: Any
) -> None:
    MemoryLine.objects.create(
        learner=alice, kind="person", text='Sister in Lyon: "mi hermana vive en Lyon"'
    )
    page = signed_in_page(launch(allow_mic=False), server, alice)
    page.goto(server + reverse("accounts:profile"))
    page.get_by_label("Delete everything it remembers too").check()
    page.get_by_role("button", name="Turn memory off").click()
    expect(page.locator(".messages")).to_contain_text(
        "Memory is off, and everything your tutor remembered is deleted."
    )
    expect(page.locator("#memory")).to_contain_text("Memory is off")
    assert not MemoryLine.objects.filter(learner=alice).exists()
    _start_free_talk(page, server)
    assert "La última vez" not in _greeting(page)
