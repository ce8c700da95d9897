"""Installing the site on a phone, in Chromium: the manifest as the browser reads it, the
service worker controlling the pages, what it keeps (static files and the offline page, never
a page with a conversation) and the offline page when the network is gone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from lessons.services.conversations import conversation_start
from tests.base import PASSWORD
from tests.e2e.browser import WAIT_MS, screenshot
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.phone import context_as, phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
  }
  return urls;
}"""


def _controlled(page: Page) -> None:
    """Until the service worker is active and controls this page (a first visit is not
    controlled: the worker claims it once it activates)."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=WAIT_MS)


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[BrowserContext]:
    """Chromium with a profile on disk: a browser never offers to install from a private
    (incognito) window, which is what a plain Playwright context is."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=phone(390)
        )
        yield context
        context.close()


def test_a_new_visitor_can_install_the_site_on_a_phone(
    server: str, profile: BrowserContext
) -> None:
    context = profile
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(server + "/")
    _controlled(page)
    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert urlsplit(manifest["url"]).path == "/manifest.webmanifest"
    data = json.loads(manifest["data"])
    assert data["display"] == "standalone"
    # What Chromium needs before it offers "Install app" / "Add to home screen".
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == server + "/"

    # The visitor becomes a learner in the same installed app: the worker stays in charge
    # through sign-up and onboarding, and the app opens on their home page.
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("E-mail address").fill("new.phone.learner@example.org")
    page.get_by_label("Your name").fill("Nuria")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("link", name="I'm learning a language").click()
    page.get_by_role("button", name="Start practising").click()
    page.wait_for_url(server + "/home/")
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    page.goto(server + data["start_url"])  # what the home-screen icon opens
    assert urlsplit(page.url).path == "/home/"


def test_the_worker_keeps_static_files_and_never_a_conversation(
    server: str, chromium: Browser, alice: Any
) -> None:
    conversation = conversation_start(learner=alice)
    context = context_as(chromium, server, alice, phone(390))
    page = context.new_page()
    page.goto(server + "/home/")
    _controlled(page)
    page.goto(server + conversation.get_absolute_url())  # now through the worker
    expect(page.locator("#talk-label")).to_have_text("Start talking")
    page.click("#talk-button")  # the socket and the worklets too
    page.wait_for_function("() => window.tertulia.state === 'live'", timeout=WAIT_MS)
    page.goto(server + "/learn/progress/")
    kept = [urlsplit(url).path for url in page.evaluate(CACHED_URLS)]
    assert "/offline/" in kept
    assert "/static/js/conversation.js" in kept  # the page's modules, for next time
    assert "/static/js/conversation/socket.js" in kept
    assert [path for path in kept if path != "/offline/" and not path.startswith("/static/")] == []
    context.close()


def test_without_a_network_the_offline_page_says_what_still_works(
    server: str, chromium: Browser, alice: Any
) -> None:
    context = context_as(chromium, server, alice, phone(360))
    page = context.new_page()
    page.goto(server + "/home/")
    _controlled(page)
    context.set_offline(True)
    page.goto(server + "/learn/progress/")
    expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
    expect(page.get_by_role("heading", name="What still works")).to_be_visible()
    assert alice.display_name not in page.content()  # kept for anyone: it names nobody
    # In the site's look: the stylesheet came from the worker's cache too.
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(251, 248, 244)"
    screenshot(page, "install-offline")
    context.set_offline(False)
    page.get_by_role("link", name="Try again").click()
    expect(page.get_by_role("heading", name="Progress", exact=False).first).to_be_visible()
    assert urlsplit(page.url).path == "/learn/progress/"
    context.close()
