"""Tap a word in Chromium: a word of the tutor's caption explained by the emulator, added to
the deck and found there; the keyboard path (arrow keys, Enter, Escape back to the word); a
Japanese caption split into words; and the review page, where words are tappable too and the
words looked up are listed under their line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from lessons.models import Phrase, WordLookup
from lessons.services.conversations import conversation_start
from tests.base import make_user
from tests.e2e.browser import PHONE, WAIT_MS, open_conversation, screenshot, signed_in_page
from tests.lessons.learner_data import make_conversation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TUTOR_WORDS = ".turn-tutor:not(.turn-draft) .turn-text .word"


@pytest.fixture
def codec() -> str:
    """Lookups go over HTTP whatever the audio codec: one run is enough."""
    return "opus"


def _greeted(page: Page) -> None:
    """Until the tutor's greeting has settled into a caption split into words."""
    page.wait_for_selector(f"{TUTOR_WORDS}:text-is('hoy')", timeout=WAIT_MS)


def _state(page: Page) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate("() => window.tertuliaWords")
    return state


@pytest.mark.smoke
def test_a_word_in_the_tutors_caption_is_explained_and_added_to_the_deck(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    alice: User,
) -> None:
    conversation = conversation_start(learner=alice, topic=None)
    page = open_conversation(launch(speech_wav("", 30)), server, alice, conversation)
    _greeted(page)
    caption = page.locator(".turn-tutor .turn-text").first
    # The caption still reads as one sentence: the words are spans inside it.
    assert "¿Cómo estás hoy?" in caption.inner_text()

    page.locator(TUTOR_WORDS, has_text="estás").first.click()
    panel = page.locator("#word-panel")
    expect(panel.locator(".word-lemma")).to_have_text("estar")
    expect(panel.locator(".word-pos")).to_have_text("verb")
    expect(panel.locator(".word-meaning")).to_contain_text("you are")
    expect(panel.locator(".word-example")).to_contain_text("Estoy en casa.")
    # Announced through the live region, focus still on the word.
    expect(page.locator("[aria-live='polite']", has_text="estás: estar, verb")).to_have_count(1)
    expect(page.locator(".word-open")).to_be_focused()
    screenshot(page, "word-lookup")

    panel.get_by_role("button", name="Add to deck").click()
    expect(panel.locator(".word-status")).to_contain_text("Added “estás” to your deck.")
    expect(panel.get_by_role("button", name="In your deck")).to_be_disabled()
    assert _state(page)["added"] == [{"card": "estás", "created": True}]
    card = Phrase.objects.get(learner=alice)
    assert (card.text, card.conversation_id) == ("estás", conversation.pk)
    lookup = WordLookup.objects.select_related("turn").get()
    assert (lookup.word, lookup.turn.speaker, lookup.entry.lemma) == ("estás", "tutor", "estar")

    panel.get_by_role("link", name="See your deck").click()
    page.wait_for_url("**/learn/deck/")
    expect(page.locator(".flash-prompt")).to_contain_text("you are")
    page.locator("[data-reveal] summary").click()
    expect(page.locator(".flash-answer-text")).to_have_text("estás")


def test_words_are_reached_and_explained_with_the_keyboard_and_escape_returns(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    alice: User,
) -> None:
    conversation = conversation_start(learner=alice, topic=None)
    page = open_conversation(launch(speech_wav("", 30)), server, alice, conversation)
    _greeted(page)
    page.set_viewport_size(PHONE)
    words = page.locator(TUTOR_WORDS)
    first = words.first
    # One tab stop per line: its first word.
    assert words.evaluate_all("(all) => all.map((w) => w.tabIndex).filter((t) => t === 0)") == [0]
    first.focus()
    page.keyboard.press("End")
    expect(page.locator(f"{TUTOR_WORDS}:text-is('hoy')")).to_be_focused()
    page.keyboard.press("Enter")
    panel = page.locator("#word-panel")
    expect(panel.locator(".word-lemma")).to_have_text("hoy")
    expect(panel.locator(".word-meaning")).to_have_text("today")
    box = panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "word-lookup-keyboard")
    # Tab goes into the explanation; Escape closes it and the focus returns to the word.
    page.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="Add to deck")).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(page.locator(f"{TUTOR_WORDS}:text-is('hoy')")).to_be_focused()
    # The tab stop followed: Tab from the previous focusable lands on "hoy" again.
    assert words.evaluate_all("(all) => all.filter((w) => w.tabIndex === 0).length") == 1


def test_a_japanese_caption_is_split_into_words_on_the_review_page(
    server: str, launch: Callable[..., Browser], db: None
) -> None:
    kenji = make_user("kenji@example.org", target_language="ja", level="A1")
    line = "デモの講師です。今日は元気ですか？"
    conversation = make_conversation(
        kenji, language="ja", turns=[("tutor", line), ("learner", "元気です")]
    )
    page = signed_in_page(launch(allow_mic=False), server, kenji)
    page.goto(server + reverse("learn:conversation_review", args=[conversation.pk]))
    words = page.locator("#turn-0 .turn-text .word").all_inner_texts()
    assert "".join(words) == "デモの講師です今日は元気ですか"  # every character, no punctuation
    assert {"講師", "元気"} <= set(words) and line not in words
    page.locator("#turn-0 .word", has_text="元気").first.click()
    expect(page.locator("#word-panel .word-lemma")).to_have_text("元気")
    expect(page.locator("#word-panel .word-pos")).to_have_text("adjective")
    screenshot(page, "word-lookup-review-ja")
    page.reload()
    expect(page.locator("#turn-0 .looked-up")).to_have_text("Looked up: 元気")


def test_on_a_phone_a_word_of_the_review_is_tapped_and_kept(
    server: str, launch: Callable[..., Browser], alice: User
) -> None:
    conversation = make_conversation(
        alice, turns=[("tutor", "¡Hola! ¿Cómo estás hoy?"), ("learner", "Estoy cansado.")]
    )
    client = Client()
    client.force_login(alice)
    context = launch(allow_mic=False).new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    cookie = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": server}])
    page = context.new_page()
    page.goto(server + reverse("learn:conversation_review", args=[conversation.pk]))
    page.locator("#turn-1 .word", has_text="cansado").tap()
    panel = page.locator("#word-panel")
    expect(panel.locator(".word-meaning")).to_have_text("tired")
    add = panel.get_by_role("button", name="Add to deck")
    box = add.bounding_box()
    assert box is not None and box["height"] >= 44  # a thumb-sized target
    add.tap()
    expect(panel.locator(".word-status")).to_contain_text("Added “cansado” to your deck.")
    screenshot(page, "word-lookup-review-phone")
    card = Phrase.objects.get(learner=alice)
    assert (card.text, card.translation, card.source_turn.ordinal) == ("cansado", "tired", 1)
    page.reload()
    expect(page.locator("#turn-1 .looked-up")).to_have_text("Looked up: cansado")
    page.locator("#turn-1 .word", has_text="cansado").tap()
    expect(panel.get_by_role("button", name="In your deck")).to_be_disabled()


def test_a_trial_is_offered_sign_up_instead_of_the_deck(
    server: str, launch: Callable[..., Browser], speech_wav: Callable[[str, float], Path]
) -> None:
    browser = launch(speech_wav("", 30))
    page = browser.new_page()
    page.goto(server + "/")
    page.select_option("#trial-language", "es")
    page.click("#try-free")
    page.wait_for_url("**/conversations/*/")
    page.click("#talk-button")
    _greeted(page)
    page.locator(TUTOR_WORDS, has_text="hoy").first.click()
    panel = page.locator("#word-panel")
    expect(panel.locator(".word-lemma")).to_have_text("hoy")
    expect(panel.get_by_role("link", name="Sign up to keep words")).to_have_attribute(
        "href", "/accounts/signup/"
    )
    expect(panel.get_by_role("button", name="Add to deck")).to_have_count(0)
