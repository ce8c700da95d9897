"""A conversation on a phone, in Chromium: the screen kept on while the microphone is live
(static/js/conversation/awake.js), the audio carrying on after the page was hidden (the
screen dimmed, or the learner glanced at another app) and the phone suspended its audio, and
a connection lost meanwhile coming back as soon as the page is in view.

Headless Chromium grants no real wake lock and never hides a page, so an init script stands in
for both at the browser's edge: `navigator.wakeLock` records what the page asks for (and, as
browsers do, lets go of its locks when the page is hidden), and `document.visibilityState`
answers what the test sets, announced by a visibilitychange event. The page's own code is
the real one. It also keeps a list of the page's AudioContexts, so the test can suspend
them as a phone does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from lessons.services.conversations import conversation_start
from tests.e2e.browser import PHONE, WAIT_MS, debug_state, signed_in_page, wait_for_reply_to_learner
from tests.e2e.proxy import CuttableProxy
from tests.e2e.test_accessibility import serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SENTENCE = "Hoy estoy muy cansado, trabajé mucho en la oficina."

PHONE_EDGE = """
(() => {
  const phone = (window.phone = {
    requests: 0, releases: 0, held: [], hidden: false, contexts: [],
  });
  class Sentinel extends EventTarget {
    constructor() { super(); this.released = false; this.type = "screen"; }
    async release() {
      if (this.released) return;
      this.released = true;
      phone.releases += 1;
      phone.held = phone.held.filter((s) => s !== this);
      this.dispatchEvent(new Event("release"));
    }
  }
  const wakeLock = {
    async request(type) {
      if (type !== "screen") throw new TypeError("screen only");
      if (phone.hidden) throw new DOMException("the page is hidden", "NotAllowedError");
      phone.requests += 1;
      const sentinel = new Sentinel();
      phone.held.push(sentinel);
      return sentinel;
    },
  };
  Object.defineProperty(Navigator.prototype, "wakeLock", {
    configurable: true, get: () => wakeLock,
  });
  Object.defineProperty(Document.prototype, "visibilityState", {
    configurable: true, get: () => (phone.hidden ? "hidden" : "visible"),
  });
  Object.defineProperty(Document.prototype, "hidden", {
    configurable: true, get: () => phone.hidden,
  });
  phone.setHidden = async (hidden) => {
    phone.hidden = hidden;
    if (hidden) {
      // What a phone does when the screen goes off: the locks go, the audio stops.
      for (const sentinel of [...phone.held]) await sentinel.release();
      await Promise.all(phone.contexts.map((c) => c.state === "running" && c.suspend()));
    }
    document.dispatchEvent(new Event("visibilitychange"));
  };
  const Original = window.AudioContext;
  window.AudioContext = class extends Original {
    constructor(...args) { super(...args); phone.contexts.push(this); }
  };
})();
"""
NO_WAKE_LOCK = "Object.defineProperty(Navigator.prototype, 'wakeLock', {get: () => undefined});"


def _phone_page(browser: Browser, server: str, user: Any, edge: str) -> tuple[Page, list[str]]:
    page = signed_in_page(browser, server, user)
    page.set_viewport_size(PHONE)
    page.add_init_script(edge)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def _phone(page: Page) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(
        "() => ({...window.phone, held: window.phone.held.length,"
        " contexts: window.phone.contexts.map((c) => c.state)})"
    )
    return state


def _grows(page: Page, field: str) -> None:
    """Until window.tertulia[field] has grown from what it is now."""
    start = debug_state(page)[field]
    page.wait_for_function(
        "([field, start]) => window.tertulia[field] > start", arg=[field, start], timeout=WAIT_MS
    )


@pytest.mark.parametrize("codec", ["opus"])  # the codec plays no part here
def test_the_screen_stays_on_while_talking_and_audio_survives_a_dimmed_screen(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    alice: Any,
) -> None:
    conversation = conversation_start(learner=alice)
    # The learner speaks after 8 s: the page is hidden and back before then.
    page, errors = _phone_page(launch(speech_wav(SENTENCE, 8)), server, alice, PHONE_EDGE)
    page.goto(server + conversation.get_absolute_url())
    assert _phone(page)["requests"] == 0  # nothing held before the learner starts
    page.click("#talk-button")
    page.wait_for_function("() => window.tertulia.wakeLock === 'held'", timeout=WAIT_MS)
    assert _phone(page)["held"] == 1
    page.wait_for_function("() => window.tertulia.playedSamples > 4800", timeout=WAIT_MS)

    # The screen dims: the browser drops the lock and the phone suspends the audio.
    page.evaluate("() => window.phone.setHidden(true)")
    state = _phone(page)
    assert state["held"] == 0
    assert set(state["contexts"]) == {"suspended"}
    assert debug_state(page)["wakeLock"] == "released"
    page.wait_for_timeout(1000)

    # Back: the audio resumes, the lock is asked for again, and the conversation goes on.
    page.evaluate("() => window.phone.setHidden(false)")
    page.wait_for_function(
        "() => window.phone.contexts.every((c) => c.state === 'running')", timeout=WAIT_MS
    )
    page.wait_for_function("() => window.tertulia.wakeLock === 'held'", timeout=WAIT_MS)
    assert _phone(page)["requests"] == 2
    _grows(page, "capturedFrames")  # the microphone is heard again
    wait_for_reply_to_learner(page)  # and the tutor answers what was said after the return
    _grows(page, "playedSamples")  # aloud
    assert debug_state(page)["drops"] == 0
    # The page mid-conversation (captions, a correction, live regions) passes axe-core too.
    assert serious_violations(page) == []

    # Muting lets the screen sleep; unmuting keeps it on again; ending lets it go.
    page.click("#talk-button")
    expect(page.locator("#talk-label")).to_have_text("Unmute")
    page.wait_for_function("() => window.tertulia.wakeLock === 'released'", timeout=WAIT_MS)
    assert _phone(page)["held"] == 0
    page.click("#talk-button")
    page.wait_for_function("() => window.tertulia.wakeLock === 'held'", timeout=WAIT_MS)
    assert _phone(page)["requests"] == 3
    page.click("#end-button")
    page.wait_for_url("**/learn/conversations/**", timeout=WAIT_MS)
    assert errors == []


@pytest.mark.parametrize("codec", ["pcm"])
def test_without_the_wake_lock_api_the_conversation_still_talks(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    alice: Any,
) -> None:
    conversation = conversation_start(learner=alice)
    page, errors = _phone_page(launch(speech_wav(SENTENCE, 2.5)), server, alice, NO_WAKE_LOCK)
    page.goto(server + conversation.get_absolute_url())
    page.click("#talk-button")
    wait_for_reply_to_learner(page)
    assert debug_state(page)["wakeLock"] == "unsupported"
    assert debug_state(page)["capturedFrames"] > 0
    assert errors == []


@pytest.mark.parametrize("codec", ["opus"])
def test_back_from_a_hidden_page_a_dropped_conversation_reconnects_at_once(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    alice: Any,
) -> None:
    """The network went while the phone was dimmed, and the page's retries backed off (a
    hidden tab's timers crawl, too). Back in view, it reconnects now, not at its next retry."""
    conversation = conversation_start(learner=alice)
    with CuttableProxy(int(server.rsplit(":", 1)[1])) as proxy:
        via_proxy = f"http://127.0.0.1:{proxy.port}"
        page, errors = _phone_page(launch(speech_wav("", 0)), via_proxy, alice, PHONE_EDGE)
        page.goto(via_proxy + conversation.get_absolute_url())
        page.click("#talk-button")
        page.wait_for_function("() => window.tertulia.state === 'live'", timeout=WAIT_MS)
        proxy.refusing = True
        proxy.cut()  # while the microphone sends, so the page notices at once
        page.wait_for_function("() => window.tertulia.drops >= 1", timeout=WAIT_MS)
        page.evaluate("() => window.phone.setHidden(true)")
        # Five failed tries: the next one waits 5 s (socket.js BACKOFF_MS).
        page.wait_for_function("() => window.tertulia.drops >= 5", timeout=WAIT_MS)
        proxy.refusing = False
        page.evaluate("() => window.phone.setHidden(false)")
        page.wait_for_function("() => window.tertulia.state === 'live'", timeout=2500)
        page.fill("#typed", "Me gusta escuchar a la música.")
        page.press("#typed", "Enter")
        learner = page.locator(".turn-learner[data-turn]").first
        expect(learner.locator(".correction del")).to_have_text("a la", timeout=WAIT_MS)
        assert errors == []
