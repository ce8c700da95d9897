"""Every main page at the narrowest phone width in the two interface languages most likely to
break a layout: German (long compound words on buttons and in headings) and Japanese (no spaces,
so lines break anywhere or not at all). Signed-in people see the site in their native language,
visitors in their browser's; the page must be in that language, fit 360 px without sideways
scrolling, and show its main controls."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import Browser

from tests.base import Personas
from tests.e2e.browser import ARTIFACTS
from tests.e2e.phone import context_as, phone
from tests.e2e.site_pages import PAGES, users
from tests.e2e.test_layout import OVERFLOW
from tests.world import make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 360


@pytest.mark.parametrize("language", ["de", "ja"])
def test_every_main_page_fits_a_phone_in_german_and_japanese(
    server: str, chromium: Browser, personas: Personas, language: str
) -> None:
    world = make_world(personas)
    people = users(world)
    for user in people.values():
        if user is not None and user.target_language != language:
            user.native_language = language
            user.save(update_fields=["native_language"])
    contexts = {
        who: context_as(
            chromium, server, user, phone(WIDTH), extra_http_headers={"Accept-Language": language}
        )
        for who, user in people.items()
    }
    problems = []
    for site_page in PAGES:
        page = contexts[site_page.who].new_page()
        page.goto(server + site_page.path(world))
        if page.locator("html").get_attribute("lang") != language:
            problems.append(f"{site_page.name}: not in {language}")
        fit = page.evaluate(OVERFLOW)
        if fit["scrollWidth"] > fit["width"] or fit["out"]:
            problems.append(
                f"{site_page.name}: {fit['scrollWidth']}px wide, past the edge: {fit['out']}"
            )
        controls = page.locator(site_page.control)
        for i in range(controls.count()):
            box = controls.nth(i).bounding_box()
            if box is None or not controls.nth(i).is_visible():
                problems.append(f"{site_page.name}: {site_page.control} #{i} is hidden")
            elif box["x"] < 0 or box["x"] + box["width"] > WIDTH:
                problems.append(f"{site_page.name}: {site_page.control} #{i} is cut off at {box}")
        if site_page.name in ("conversation", "deck", "teacher classroom", "profile"):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = site_page.name.replace(" ", "-")
            page.screenshot(
                path=str(ARTIFACTS / f"layout-{language}-{name}-360.png"), full_page=True
            )
        page.close()
    # The skip link in the catalog's words: the page is translated, not English in a German frame.
    with translation.override(language):
        skip = translation.gettext("Skip to content")
    assert skip != "Skip to content"
    page = contexts[next(iter(contexts))].new_page()
    page.goto(server + "/")
    assert page.locator(".skip-link").text_content() == skip
    page.close()
    assert problems == [], "\n".join(problems)
