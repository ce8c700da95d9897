"""axe-core over every page (tests/e2e/site_pages.py), as an anonymous visitor, a newcomer, a
learner and a teacher, at desktop and phone size: no violation of impact "serious" or
"critical" (contrast, names, labels, landmarks…). Lesser findings are printed, not failed."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, ViewportSize

from tests.base import Personas
from tests.e2e.browser import DESKTOP
from tests.e2e.phone import context_as, phone
from tests.e2e.site_pages import PAGES, SitePage, users
from tests.world import make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FAILING = {"serious", "critical"}
# Each page at desktop and phone size, and on a phone set to dark mode (the site's own palette).
SCREENS: dict[str, tuple[ViewportSize, Literal["light", "dark"]]] = {
    "desktop": (DESKTOP, "light"),
    "phone": (phone(360), "light"),
    "phone-dark": (phone(360), "dark"),
}


def _violations(page: Page) -> list[dict[str, Any]]:
    results = Axe().run(page)
    found: list[dict[str, Any]] = results.response["violations"]
    return found


def serious_violations(page: Page) -> list[str]:
    """The page's serious and critical violations, described (for other browser tests)."""
    here = SitePage(page.url, "", lambda w: page.url, "")
    return [_describe(here, v) for v in _violations(page) if v["impact"] in FAILING]


def _describe(site_page: SitePage, violation: dict[str, Any]) -> str:
    nodes = "; ".join(
        " ".join(node["target"]) + (f" ({node['failureSummary'].splitlines()[-1].strip()})")
        for node in violation["nodes"][:5]
    )
    return (
        f"{site_page.name}: [{violation['impact']}] {violation['id']}: {violation['help']}"
        f" -> {nodes}"
    )


@pytest.mark.parametrize("screen", SCREENS)
def test_no_page_has_a_serious_accessibility_violation(
    server: str, chromium: Browser, personas: Personas, screen: str
) -> None:
    world = make_world(personas)
    viewport, scheme = SCREENS[screen]
    contexts = {
        who: context_as(chromium, server, user, viewport, color_scheme=scheme)
        for who, user in users(world).items()
    }
    serious, minor = [], []
    for site_page in PAGES:
        page = contexts[site_page.who].new_page()
        response = page.goto(server + site_page.path(world))
        assert response is not None and response.status == 200, site_page.name
        for violation in _violations(page):
            line = _describe(site_page, violation)
            (serious if violation["impact"] in FAILING else minor).append(line)
        page.close()
    if minor:
        print("\nLesser accessibility findings:\n" + "\n".join(minor))
    assert serious == [], "serious accessibility violations:\n" + "\n".join(serious)
