"""The site's frame on a phone and on a desktop, in Chromium: the collapsible main menu (with
and without JavaScript), the operator page's table, which must never be cut off, and every
main page (tests/e2e/site_pages.py) at 360, 390 and 430 px: no sideways scrolling, and its
main controls on screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from accounts.models import User
from lessons.models import Conversation, Topic
from tests.base import Personas
from tests.e2e.browser import ARTIFACTS, DESKTOP, PHONE, screenshot
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.phone import PHONE_WIDTHS, context_as, phone
from tests.e2e.site_pages import PAGES, users
from tests.world import make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OpenPage = Callable[..., Page]


@pytest.fixture
def open_page(server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenPage]:
    """`open_page(user, path, viewport, javascript=True)`: a page signed in as `user`."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no browser at {CHROMIUM}: run the tests with `make test` or set CHROMIUM")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls beside Playwright's loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def open_(user: User, path: str, viewport: ViewportSize, javascript: bool = True) -> Page:
            client = Client()
            client.force_login(user)
            context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
            cookie = client.cookies["sessionid"].value
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": server}])
            page = context.new_page()
            page.goto(server + path)
            return page

        yield open_
        browser.close()


def test_the_phone_menu_opens_and_closes_by_mouse_and_keyboard(
    open_page: OpenPage, alice: User
) -> None:
    page = open_page(alice, "/home/", PHONE)
    toggle = page.locator(".nav-toggle")
    link = page.get_by_role("link", name="Conversations")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(link).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(link).to_be_visible()
    screenshot(page, "layout-menu-open")  # also at desktop size: the button is gone there
    page.set_viewport_size(PHONE)
    page.keyboard.press("Escape")
    expect(link).to_be_hidden()
    assert page.evaluate("() => document.activeElement.classList.contains('nav-toggle')")
    page.keyboard.press("Enter")  # the focused button, by keyboard
    expect(link).to_be_visible()
    link.focus()
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # a visible focus ring in the open menu


def test_on_a_desktop_the_links_show_and_the_button_does_not(
    open_page: OpenPage, alice: User
) -> None:
    page = open_page(alice, "/home/", DESKTOP)
    expect(page.locator(".nav-toggle")).to_be_hidden()
    expect(page.get_by_role("link", name="Conversations")).to_be_visible()


def test_without_javascript_the_menu_is_a_plain_list(open_page: OpenPage, alice: User) -> None:
    page = open_page(alice, "/home/", PHONE, javascript=False)
    expect(page.locator(".nav-toggle")).to_be_hidden()
    for name in ("Practise", "Conversations", "Review", "Progress"):
        expect(page.get_by_role("link", name=name)).to_be_visible()


def _cut_off(page: Page) -> list[str]:
    """Cells (and the page) reaching past the right edge of the viewport or of the table's box
    (the headings too, through the box's own scroll width)."""
    return list(
        page.evaluate(
            """() => {
              const wrap = document.querySelector('.ops-table').closest('.table-wrap');
              const right = Math.min(innerWidth, wrap.getBoundingClientRect().right) + 0.5;
              const out = [...wrap.querySelectorAll('td')]
                .filter((cell) => cell.getClientRects().length)
                .filter((cell) => cell.getBoundingClientRect().right > right)
                .map((cell) => cell.dataset.label || cell.textContent.trim());
              if (wrap.scrollWidth > wrap.clientWidth) out.push('the table scrolls sideways');
              if (document.documentElement.scrollWidth > innerWidth) out.push('the page scrolls');
              return out;
            }"""
        )
    )


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_operator_table_is_never_cut_off(
    open_page: OpenPage, size: str, viewport: ViewportSize
) -> None:
    staff = User.objects.create_superuser("ops.person@operations.example.org", "x")
    _conversations(staff)
    page = open_page(staff, "/ops/", viewport)
    assert page.locator(".ops-table tbody tr").count() == 4
    assert _cut_off(page) == []
    if size == "phone":  # each row is a card of labelled values
        expect(page.locator(".ops-table td[data-label='Tokens']").first).to_be_visible()
        screenshot(page, "layout-ops")


def _conversations(learner: Any) -> None:
    topic = Topic.objects.create(
        slug="long", language="pt", title="Uma conversa bastante longa na estação rodoviária"
    )
    now = timezone.now()
    for i in range(4):
        conversation = Conversation.objects.create(
            learner=learner,
            topic=topic if i % 2 else None,
            language="pt",
            level="B1",
            status=Conversation.Status.ENDED,
            end_reason="server_shutdown",
            model="gemini-3.1-flash-live-preview",
            latency_p50_ms=612,
            latency_p95_ms=1480,
            reconnect_count=i,
            degraded=i == 3,
            prompt_tokens=1_234_567,
            response_tokens=345_678,
            total_tokens=1_580_245,
        )
        Conversation.objects.filter(pk=conversation.pk).update(
            started_at=now - timedelta(minutes=30 + i), ended_at=now - timedelta(minutes=i)
        )


# -- every main page at phone widths ------------------------------------------------------

# The page scrolls sideways, and which elements reach past the right edge (those inside a box
# that scrolls on its own, such as a wide table's, do not count: they are reachable there).
OVERFLOW = """() => {
  const width = innerWidth;
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (/(auto|scroll)/.test(style.overflowX)) return true;
    }
    return false;
  };
  const out = [...document.body.querySelectorAll("*")]
    .filter((el) => el.getClientRects().length && !inScroller(el))
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .map((el) => {
      const classes = typeof el.className === "string" ? el.className.trim() : "";
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
      return classes ? name + "." + classes.split(/\\s+/).join(".") : name;
    });
  return {scrollWidth: document.scrollingElement.scrollWidth, width, out: out.slice(0, 8)};
}"""


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_every_main_page_fits_a_phone_and_shows_its_controls(
    server: str, chromium: Browser, personas: Personas, width: int
) -> None:
    world = make_world(personas)
    contexts = {
        who: context_as(chromium, server, user, phone(width)) for who, user in users(world).items()
    }
    problems = []
    for site_page in PAGES:
        page = contexts[site_page.who].new_page()
        page.goto(server + site_page.path(world))
        fit = page.evaluate(OVERFLOW)
        if fit["scrollWidth"] > fit["width"] or fit["out"]:
            problems.append(
                f"{site_page.name}: {fit['scrollWidth']}px wide, past the edge: {fit['out']}"
            )
        controls = page.locator(site_page.control)
        if controls.count() == 0:
            problems.append(f"{site_page.name}: no {site_page.control}")
        for i in range(controls.count()):
            box = controls.nth(i).bounding_box()
            if box is None or not controls.nth(i).is_visible():
                problems.append(f"{site_page.name}: {site_page.control} #{i} is hidden")
            elif box["x"] < 0 or box["x"] + box["width"] > width:
                problems.append(f"{site_page.name}: {site_page.control} #{i} is cut off at {box}")
        if site_page.name == "conversation":  # the talk button, without scrolling
            box = page.locator("#talk-button").bounding_box()
            assert box is not None and box["y"] + box["height"] <= 800, f"talk button at {box}"
        page.close()
    if width == 360:
        screenshot_pages = ("conversation", "deck", "teacher classroom")
        for site_page in (p for p in PAGES if p.name in screenshot_pages):
            page = contexts[site_page.who].new_page()
            page.goto(server + site_page.path(world))
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = site_page.name.replace(" ", "-")
            page.screenshot(path=str(ARTIFACTS / f"layout-{name}-360.png"), full_page=True)
            page.close()
    assert problems == [], "\n".join(problems)
