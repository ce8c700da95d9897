"""Phone sizes, and a browser context signed in as someone, for the page-by-page browser
tests (installing, layout, accessibility) that use the plain `chromium` fixture."""

from __future__ import annotations

from typing import Any

from django.test import Client
from playwright.sync_api import Browser, BrowserContext, ViewportSize

# The narrowest and widest phones the site is laid out for, and a common one between.
PHONE_WIDTHS = (360, 390, 430)


def phone(width: int) -> ViewportSize:
    return {"width": width, "height": 800}


def context_as(
    browser: Browser, base_url: str, user: Any | None, viewport: ViewportSize, **options: Any
) -> BrowserContext:
    """A browser context holding `user`'s session cookie (none for an anonymous visitor)."""
    context = browser.new_context(viewport=viewport, **options)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": base_url}])
    return context
