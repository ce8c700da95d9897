"""The site in the learner's own language, in Chromium: a visitor's browser asks for French and
gets it, the switcher changes it to German and it stays, and once they sign up and say their
native language is Japanese, every page (and the strings the page scripts show) is Japanese."""

from __future__ import annotations

import re

import polib
import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from tests.e2e.browser import DESKTOP, PHONE, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "kenji@example.org"
PASSWORD = "a long enough passphrase 42"


def in_(language: str, text: str, context: str | None = None) -> str:
    """`text` as the catalog of `language` says it (what the page must show)."""
    with translation.override(language):
        said = translation.pgettext(context, text) if context else translation.gettext(text)
    assert said != text or language == "en", f"{text!r} has no {language} translation"
    return said


def js_in(language: str, text: str) -> str:
    """`text` as the page scripts' catalog (djangojs) of `language` says it."""
    path = settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "djangojs.po"
    said = polib.pofile(str(path)).find(text)
    assert said is not None and said.msgstr and said.msgstr != text
    return str(said.msgstr)


def _language(page: Page) -> str | None:
    return page.locator("html").get_attribute("lang")


def test_a_visitor_reads_their_browsers_language_switches_and_a_learner_reads_their_own(
    server: str, chromium: Browser
) -> None:
    context = chromium.new_context(viewport=DESKTOP, extra_http_headers={"Accept-Language": "fr"})
    page = context.new_page()
    page.goto(server + "/")
    assert _language(page) == "fr"
    expect(page.locator(".skip-link")).to_have_text(in_("fr", "Skip to content"))
    expect(page.get_by_role("link", name=in_("fr", "Create a free account"))).to_be_visible()

    # The switcher (visitors only): each language under its own name; the choice sticks.
    switcher = page.locator("[data-language-switcher]")
    expect(switcher.locator("option[value=de]")).to_have_text("Deutsch")
    expect(switcher.locator("option[value=ja]")).to_have_text("日本語")
    switcher.locator("select").select_option("de")
    switcher.get_by_role("button").click()
    page.wait_for_load_state()
    assert _language(page) == "de"
    page.goto(server + "/accounts/signup/")
    assert _language(page) == "de"  # the cookie wins over the browser's French
    expect(page.get_by_label(in_("de", "Password"), exact=True)).to_be_visible()

    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.fill("input[name=display_name]", "Kenji")
    page.get_by_role("button", name=in_("de", "Create my account")).click()
    page.wait_for_url("**/welcome/**")
    page.get_by_text(in_("de", "I'm learning a language")).click()
    page.select_option("#id_native_language", "ja")
    page.select_option("#id_target_language", "es")
    page.check("input[name=level][value=A2]")
    page.get_by_role("button", name=in_("de", "Start practising")).click()
    page.wait_for_url(re.compile(r".*/home/$"))

    # Signed in: the native language decides, over the cookie and the browser.
    assert User.objects.get(email=EMAIL).native_language == "ja"
    assert _language(page) == "ja"
    expect(page.locator(".skip-link")).to_have_text(in_("ja", "Skip to content"))
    expect(page.locator("[data-language-switcher]")).to_have_count(0)
    # The page scripts' catalog is Japanese too.
    mute = page.evaluate("() => gettext('Mute microphone')")
    assert mute == js_in("ja", "Mute microphone")
    page.set_viewport_size(PHONE)
    screenshot(page, "19-home-ja-phone")
    context.close()
