"""What the browser tests share besides fixtures: the emulator's control API, signing a
browser in, opening a conversation, screenshots, and reading the page's own account of itself
(window.tertulia)."""

from __future__ import annotations

import json
import ssl
import urllib.request
from pathlib import Path
from typing import Any

from django.test import Client
from playwright.sync_api import Browser, Page, ViewportSize

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
WAIT_MS = 30_000  # an upper bound for a whole spoken exchange at real-time pace


class EmulatorControl:
    """The emulator's control API: inject faults, read what each Live session saw."""

    def __init__(self, env: dict[str, str]) -> None:
        self.base = env["GOOGLE_GEMINI_BASE_URL"]
        self.tls = ssl.create_default_context(cafile=env["SSL_CERT_FILE"])

    def _call(self, path: str, payload: dict[str, Any] | None = None) -> Any:
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(  # noqa: S310 (https to the local emulator only)
            self.base + path, data=data, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, context=self.tls, timeout=10) as response:  # noqa: S310
            return json.load(response)

    def inject(self, **fault: Any) -> None:
        self._call("/_emulator/faults", fault)

    def sessions(self) -> list[dict[str, Any]]:
        return list(self._call("/_emulator/sessions"))


def signed_in_page(browser: Browser, base_url: str, user: Any) -> Page:
    """A page whose browser holds `user`'s session cookie (no login form round trip)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=DESKTOP)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base_url}])
    return context.new_page()


def open_conversation(browser: Browser, base_url: str, user: Any, conversation: Any) -> Page:
    """`conversation`'s page, loaded in a page signed in as `user`, with the talk button pressed."""
    page = signed_in_page(browser, base_url, user)
    page.goto(base_url + conversation.get_absolute_url())
    page.click("#talk-button")
    return page


def wait_for_reply_to_learner(page: Page) -> None:
    """Until the tutor's answer to the learner has settled (its final transcript arrived)."""
    page.wait_for_function(
        """() => {
          const lines = window.tertulia.captions;
          const learner = lines.findIndex((c) => c.speaker === "learner");
          return learner >= 0 && lines.slice(learner).some((c) => c.speaker === "tutor");
        }""",
        timeout=WAIT_MS,
    )


def screenshot(page: Page, name: str) -> None:
    """Save the page at desktop and phone sizes under test-artifacts/e2e/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or DESKTOP
    page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(size)


def debug_state(page: Page) -> dict[str, Any]:
    """window.tertulia, the page's own account of what it did (read, never driven)."""
    state: dict[str, Any] = page.evaluate(
        "() => ({...window.tertulia, transcript: window.tertulia.transcript()})"
    )
    return state
