"""The conversation page in Chromium: voice in and out, captions, corrections, the states a
learner can hit. Live server, the emulator and PostgreSQL; see conftest.py for the harness.

The demo tutor cannot recognise speech: whatever the fake microphone says, it "hears" its
script's next line (in free talk, a line with a deliberate mistake; in a topic, the next target
phrase), which is what these tests compare against.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from lessons.models import Conversation, Correction, Topic, Turn
from lessons.services.conversations import conversation_start
from tests.e2e.browser import (
    DESKTOP,
    WAIT_MS,
    EmulatorControl,
    debug_state,
    open_conversation,
    screenshot,
    signed_in_page,
    wait_for_reply_to_learner,
)
from tests.e2e.conftest import TRIAL_SECONDS
from tests.e2e.proxy import CuttableProxy

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SENTENCE = "Hoy estoy muy cansado, trabajé mucho en la oficina."
LEAD = 2.5  # seconds of silence before the fake microphone speaks: the tutor is greeting
# wait_for_function takes functions only: a bare expression is eval'd, which our CSP forbids.
BLOCK_WEBSOCKETS = """
window.WebSocket = class {
  constructor() { throw new DOMException("WebSockets are blocked here", "SecurityError"); }
};
"""


@pytest.fixture
def topic() -> Topic:
    return Topic.objects.create(
        slug="un-dia-largo",
        language="es",
        title="Un día largo",
        scenario="You meet a friend after a long day at work and tell them how you feel.",
        tutor_role="a friendly colleague",
        learner_goal="Say how you feel and why.",
        target_phrases=["trabajé mucho", "descansar", "el fin de semana"],
    )


def _normal(text: str) -> str:
    return " ".join(text.split())


def _captions(page: Page, speaker: str) -> list[str]:
    return [_normal(c["text"]) for c in debug_state(page)["captions"] if c["speaker"] == speaker]


def _settled_captions(page: Page, speaker: str, expected: list[str]) -> list[str]:
    """The speaker's captions once they equal `expected`, or as they stand after WAIT_MS: the
    transcription of a line may be completed after its reply (docs/gemini-live.md §10)."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while (shown := _captions(page, speaker)) != expected and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    return shown


@pytest.mark.smoke
def test_a_trial_visitor_is_captioned_corrected_and_invited_to_sign_up(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    emulator_control: EmulatorControl,
) -> None:
    earlier = len(emulator_control.sessions())  # the emulator serves the whole test session
    page = launch(speech_wav(SENTENCE, LEAD)).new_page(viewport=DESKTOP)
    page.goto(server + "/")
    page.click("#try-free")
    page.wait_for_url("**/conversations/*/")  # loaded: the page's module has run
    expect(page.locator("#talk-label")).to_have_text("Start talking")
    screenshot(page, "01-before-start")

    page.click("#talk-button")
    learner = page.locator(".turn-learner[data-turn]").first
    expect(learner).to_be_visible(timeout=WAIT_MS)
    # The microphone is live while the learner is heard (checked now: the 12 s trial may be
    # over once a late, NON_BLOCKING correction has arrived).
    state = debug_state(page)
    assert state["capturedFrames"] > 0
    assert state["mic"] == "on"
    heard = [line for s in emulator_control.sessions()[earlier:] for line in s["learner_turns"]]
    # The transcription may finish after the tutor began (docs/gemini-live.md §10): the
    # caption settles early and is then completed in place, so wait for the whole line.
    expect(learner.locator(".turn-text")).to_have_text(heard[0], timeout=WAIT_MS)
    card = learner.locator(".correction")
    expect(card.locator("del")).to_have_text("soy")
    expect(card.locator("ins")).to_have_text("estoy")
    expect(card.get_by_text("Why?")).to_have_count(0)  # a trial's style: without comment
    expect(page.locator("#phrases .phrase-text")).to_have_text(["estar cansado"])
    # At least half a second of the tutor's voice left the playback worklet.
    page.wait_for_function("() => window.tertulia.playedSamples > 12000", timeout=WAIT_MS)
    screenshot(page, "02-trial-captioned-and-corrected")

    invite = page.locator("#invite")
    expect(invite).to_be_visible(timeout=(TRIAL_SECONDS + 15) * 1000)
    expect(invite).to_be_focused()
    signup = invite.get_by_role("link", name="Create a free account")
    expect(signup).to_have_attribute("href", "/accounts/signup/")
    assert debug_state(page)["state"] == "trial-over"
    expect(page.locator("#typed")).to_be_disabled()
    screenshot(page, "03-trial-over")


def test_a_learner_loses_no_caption_when_the_upstream_says_goaway(
    speaking: Callable[..., Page], emulator_control: EmulatorControl, topic: Topic
) -> None:
    # The learner's voice interrupts the greeting; the goAway follows that turn at once, so
    # the rest of the sentence crosses the reconnection.
    emulator_control.inject(kind="goaway", after_turns=1)
    page = speaking(SENTENCE, LEAD, topic)
    wait_for_reply_to_learner(page)

    state = debug_state(page)
    assert {"reconnecting", "resumed"} <= set(state["events"])
    sessions = emulator_control.sessions()
    first = max(i for i, s in enumerate(sessions) if s["fault"] == "goaway")
    ours = sessions[first:]
    assert ours[1]["resumed_from"] in ours[0]["handles_issued"]
    said = [_normal(t) for s in ours for t in s["learner_turns"]]
    answered = [_normal(t) for s in ours for t in s["tutor_turns"]]
    assert _settled_captions(page, "learner", said) == said
    assert _captions(page, "tutor") == answered
    state = debug_state(page)
    shown = [_normal(line["text"]) for line in state["transcript"]]
    assert shown == [_normal(c["text"]) for c in state["captions"]]
    expect(page.locator(".target.used")).to_have_text(["trabajé mucho — used"])
    expect(page.locator("#targets-count")).to_have_text("1 of 3")
    screenshot(page, "04-after-goaway")


def test_speaking_over_the_tutor_flushes_its_audio_at_once(speaking: Callable[..., Page]) -> None:
    page = speaking(SENTENCE, LEAD)
    # The flush, then the reply to the learner starting to play.
    page.wait_for_function(
        """() => {
          const log = window.tertulia.playback;
          const flushed = log.findIndex((r) => r.type === "flushed");
          return flushed >= 0 && log.slice(flushed).some((r) => r.type === "started");
        }""",
        timeout=WAIT_MS,
    )
    state = debug_state(page)
    log = state["playback"]
    flushed = next(i for i, r in enumerate(log) if r["type"] == "flushed")
    restarted = next(r for r in log[flushed:] if r["type"] == "started")
    assert log[flushed]["buffered"] == 0
    # Not one sample of the interrupted greeting played between the flush and the reply.
    assert restarted["played"] == log[flushed]["played"]
    assert state["events"].count("interrupted") == 1
    greeting = page.locator(".turn-tutor").first
    expect(greeting).to_have_class("turn turn-tutor turn-interrupted")


def test_typing_carries_on_over_http_when_websockets_are_blocked(
    server: str, launch: Callable[..., Browser], alice: Any, topic: Topic
) -> None:
    conversation = conversation_start(learner=alice, topic=topic)
    page = signed_in_page(launch(), server, alice)
    page.add_init_script(BLOCK_WEBSOCKETS)
    page.goto(server + conversation.get_absolute_url())
    page.fill("#typed", "Hoy trabaje mucho y quiero descansar")
    page.press("#typed", "Enter")

    expect(page.locator("#notice")).to_contain_text("switched to text")
    reply = page.locator(".turn-tutor:not(.turn-draft):not(.turn-pending)")
    expect(reply).to_have_count(1, timeout=WAIT_MS)
    assert debug_state(page)["mode"] == "text"
    # Accent-blind: "trabaje" ticks "trabajé mucho".
    expect(page.locator(".target.used")).to_have_count(2)
    turns = Turn.objects.filter(conversation=conversation).order_by("ordinal")
    assert [(t.speaker, t.source) for t in turns] == [("learner", "typed"), ("tutor", "typed")]
    assert turns[1].text == _normal(reply.locator(".turn-text").inner_text())
    # The tutor's notes on a typed line are stored and drawn, as over the socket.
    page.fill("#typed", "Yo soy cansado hoy")
    page.press("#typed", "Enter")
    corrected = page.locator(".turn-learner[data-turn='2'] .correction")
    expect(corrected.locator("del")).to_have_text("soy", timeout=WAIT_MS)
    expect(corrected.locator("ins")).to_have_text("estoy")
    expect(page.locator("#phrases .phrase-text")).to_have_text(["estar cansado"])
    assert Correction.objects.filter(turn__conversation=conversation).count() == 1
    # "Repeat it correctly, without comment" (alice's style): the better version, no "Why?".
    expect(corrected.locator("summary")).to_have_count(0)
    expect(corrected.locator(".correction-why")).to_have_count(0)
    screenshot(page, "05-text-mode")
    # Reloaded, the server's cards are drawn alike, with the server's word diff.
    page.reload()
    expect(corrected.locator("del")).to_have_text("soy")
    expect(corrected.locator("ins")).to_have_text("estoy")
    expect(corrected.locator("summary")).to_have_count(0)


def test_without_microphone_permission_typing_still_works_and_end_leads_to_the_review(
    server: str, launch: Callable[..., Browser], alice: Any
) -> None:
    conversation = conversation_start(learner=alice)
    page = signed_in_page(launch(allow_mic=False), server, alice)
    page.goto(server + conversation.get_absolute_url())
    page.locator("#talk-button").focus()
    page.keyboard.press("Enter")

    expect(page.locator("#notice")).to_contain_text("Microphone access is blocked")
    expect(page.locator("#talk-label")).to_have_text("Turn on microphone")
    page.wait_for_function("() => window.tertulia.state === 'live'", timeout=WAIT_MS)
    page.locator("#typed").focus()
    page.keyboard.type("Me gusta escuchar a la música.")
    page.keyboard.press("Enter")

    typed = page.locator(".turn-learner[data-turn]")
    expect(typed.locator(".turn-typed")).to_have_text("typed")
    expect(typed.locator(".correction del")).to_have_text("a la", timeout=WAIT_MS)
    state = debug_state(page)
    assert state["mic"] == "denied"
    assert state["capturedFrames"] == 0
    screenshot(page, "06-microphone-blocked")

    page.click("#end-button")
    page.wait_for_url(f"**/learn/conversations/{conversation.pk}/", timeout=WAIT_MS)
    expect(page.locator("main")).to_contain_text("Me gusta escuchar a la música.")
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.ENDED


def test_a_dropped_connection_comes_back_to_the_same_conversation(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    alice: Any,
) -> None:
    conversation = conversation_start(learner=alice)
    with CuttableProxy(int(server.rsplit(":", 1)[1])) as proxy:
        via_proxy = f"http://127.0.0.1:{proxy.port}"
        page = signed_in_page(launch(speech_wav("", 0)), via_proxy, alice)
        page.goto(via_proxy + conversation.get_absolute_url())
        page.click("#talk-button")
        page.wait_for_function("() => window.tertulia.state === 'live'", timeout=WAIT_MS)
        page.fill("#typed", "Hola, ¿qué tal?")
        page.press("#typed", "Enter")
        expect(page.locator(".turn-learner[data-turn]")).to_have_count(1, timeout=WAIT_MS)

        proxy.cut()
        page.wait_for_function(
            "() => window.tertulia.drops === 1 && window.tertulia.state === 'live'",
            timeout=WAIT_MS,
        )
        page.fill("#typed", "Me gusta escuchar a la música.")
        page.press("#typed", "Enter")
        # The same live conversation carries on: the tutor corrects the new line.
        second = page.locator(".turn-learner[data-turn]").nth(1)
        expect(second.locator(".correction del")).to_have_text("a la", timeout=WAIT_MS)
        expect(page.locator(".turn-learner .turn-text").first).to_have_text("Hola, ¿qué tal?")
        assert debug_state(page)["mic"] == "on"
        screenshot(page, "07-after-network-drop")


def test_the_page_says_when_the_tutor_is_unavailable(
    server: str,
    launch: Callable[..., Browser],
    emulator_control: EmulatorControl,
    alice: Any,
) -> None:
    conversation = conversation_start(learner=alice)
    emulator_control.inject(kind="reject", status=403)
    page = open_conversation(launch(allow_mic=False), server, alice, conversation)

    notice = page.locator("#notice")
    expect(notice).to_contain_text("The tutor is unavailable right now", timeout=WAIT_MS)
    expect(notice.get_by_role("button", name="Try again")).to_be_visible()
    expect(page.locator("#talk-label")).to_have_text("Finished")
    assert debug_state(page)["state"] == "unavailable"
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.FAILED
    screenshot(page, "08-tutor-unavailable")
