"""Which language the interface speaks (accounts/language.py): a signed-in user's native
language when the site has it, else the switcher's cookie, else the browser's Accept-Language,
else English; the same rule for pages, the JavaScript catalog and the conversation socket.

The catalogs are filled by translators after the strings are marked, so these tests check the
language chosen (Content-Language, <html lang>, the active language) and, where a translated
string is needed, use one of Django's own (its catalogs ship with it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from accounts import language
from accounts.models import User
from tests.base import make_user
from tutor.conversation.consumer import ConversationConsumer

# One of Django's own strings, translated in its catalogs for every language here.
DJANGOS = "Enter a valid value."
GERMAN = "Bitte einen gültigen Wert eingeben."


def lang_of(body: str) -> str:
    found = re.search(r'<html lang="([^"]*)" dir="(ltr|rtl)">', body)
    assert found, "the page has no <html lang dir>"
    return found.group(1)


def page(client: Client, name: str = "landing", **headers: str) -> tuple[str, str]:
    response = client.get(reverse(name), headers=headers)
    assert response.status_code == 200
    body = response.content.decode()
    assert response["Content-Language"] == lang_of(body)
    return lang_of(body), body


# -- the rule -------------------------------------------------------------------------------


class Someone:
    is_authenticated = True

    def __init__(self, native: str) -> None:
        self.native_language = native


@pytest.mark.parametrize(
    ("user", "cookie", "accept", "chosen"),
    [
        (Someone("de"), "fr", "ja", "de"),  # a user's native language comes first
        (Someone("zh"), "", "ja,en;q=0.5", "ja"),  # one the site does not speak: the browser
        (Someone("zh"), "", "", "en"),
        (AnonymousUser(), "it", "ja", "it"),  # the switcher's cookie before the browser
        (AnonymousUser(), "", "pt-BR,pt;q=0.9", "pt"),
        (AnonymousUser(), "", "zh-CN, ko;q=0.8, fr;q=0.5", "fr"),
        (AnonymousUser(), "xx", "tlh", "en"),
        (None, "", "es-MX", "es"),
    ],
)
def test_the_rule(user: Any, cookie: str, accept: str, chosen: str) -> None:
    cookies = {settings.LANGUAGE_COOKIE_NAME: cookie} if cookie else {}
    assert language.choose(user, cookies, accept) == chosen


def test_a_sockets_scope_is_read_by_the_same_rule() -> None:
    scope = {
        "user": AnonymousUser(),
        "cookies": {},
        "headers": [(b"host", b"x"), (b"accept-language", b"de-AT,de;q=0.9")],
    }
    assert language.for_scope(scope) == "de"
    assert language.for_scope({**scope, "user": Someone("ja")}) == "ja"
    assert language.for_scope({"headers": []}) == "en"


# -- pages ------------------------------------------------------------------------------------


def onboarded(native: str, target: str = "es") -> User:
    return make_user(f"{native}@example.org", native_language=native, target_language=target)


@pytest.mark.django_db
def test_a_signed_in_learner_reads_their_native_language(client: Client) -> None:
    client.force_login(onboarded("de"))
    # Native before the cookie and the browser: a learner sees one language everywhere.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    lang, body = page(client, "lessons:home", accept_language="ja")
    assert lang == "de"
    assert "language-switcher" not in body  # the switcher is for visitors


@pytest.mark.django_db
def test_an_unsupported_native_language_falls_back_to_the_browser_then_english(
    client: Client,
) -> None:
    client.force_login(onboarded("zh"))
    assert page(client, "lessons:home", accept_language="ja")[0] == "ja"
    assert page(client, "lessons:home")[0] == "en"


@pytest.mark.django_db
def test_a_visitor_gets_the_browsers_language(client: Client) -> None:
    lang, body = page(client, accept_language="ja,en;q=0.5")
    assert lang == "ja"
    assert 'lang="ja" selected' in body  # the switcher shows what is in use
    assert page(client)[0] == "en"


@pytest.mark.django_db
def test_the_switcher_sets_a_visitors_language_and_it_wins(client: Client) -> None:
    _lang, body = page(client, accept_language="ja")
    assert f'action="{reverse("set_language")}"' in body
    assert '<label for="language-switcher-select">' in body
    for code, name in settings.LANGUAGES:
        assert f'<option value="{code}" lang="{code}"' in body and name in body
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert page(client, accept_language="ja")[0] == "fr"


@pytest.mark.django_db
def test_djangos_own_strings_follow_the_language_chosen(client: Client) -> None:
    """A real translated string, through the middleware: Django's own catalog."""
    client.force_login(onboarded("de"))
    response = client.get(reverse("lessons:home"))
    assert response.wsgi_request.LANGUAGE_CODE == "de"
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        assert str(gettext_lazy(DJANGOS)) == GERMAN


# -- scripts ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_javascript_catalog_serves_the_active_language(client: Client) -> None:
    german = client.get(reverse("javascript-catalog"), headers={"accept-language": "de"})
    english = client.get(reverse("javascript-catalog"), headers={"accept-language": "en"})
    assert german["Content-Language"] == "de" and english["Content-Language"] == "en"
    # The locale's formats travel with the catalog: the cache keeps one per language.
    assert '"DECIMAL_SEPARATOR": ","' in german.content.decode()
    assert '"DECIMAL_SEPARATOR": "."' in english.content.decode()
    assert "max-age=" in german["Cache-Control"]


@pytest.mark.django_db
def test_the_catalog_in_the_address_wins(client: Client) -> None:
    """base.html names the page's language, so a cached catalog is never another language's."""
    url = reverse("javascript-catalog")
    for _ in range(2):  # the second answer comes from the cache
        japanese = client.get(f"{url}?lang=ja", headers={"accept-language": "de"})
        assert japanese["Content-Language"] == "ja"
        assert '"DECIMAL_SEPARATOR": "."' in japanese.content.decode()
        german = client.get(f"{url}?lang=de", headers={"accept-language": "ja"})
        assert german["Content-Language"] == "de"
        assert '"DECIMAL_SEPARATOR": ","' in german.content.decode()


@pytest.mark.django_db
def test_the_catalog_comes_before_every_script_on_a_page(client: Client) -> None:
    body = client.get(reverse("landing"), headers={"accept-language": "it"}).content.decode()
    scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", body)
    assert scripts[0] == f"{reverse('javascript-catalog')}?lang=it"


def test_every_page_script_waits_for_the_document() -> None:
    """The catalog is the first deferred script in <head>; a page script that ran at once
    (neither defer nor a module) would run before it, without gettext."""
    templates = Path(settings.BASE_DIR) / "templates"
    eager = [
        f"{path.relative_to(templates)}: {tag}"
        for path in templates.rglob("*.html")
        for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", path.read_text(encoding="utf-8"))
        if " defer" not in tag and 'type="module"' not in tag
    ]
    assert not eager


# -- the conversation socket ------------------------------------------------------------------


class Captured(ConversationConsumer):
    """The consumer's own serializing, with the frames kept instead of written to a socket."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[str] = []

    async def send(
        self, text_data: str | None = None, bytes_data: bytes | None = None, close: bool = False
    ) -> None:
        assert text_data is not None
        self.frames.append(text_data)


async def test_socket_texts_go_out_in_the_sockets_language() -> None:
    consumer = Captured()
    consumer.interface_language = "de"
    with translation.override("ja"):  # whatever the task around it has active
        await consumer.send_event({"type": "error", "message": gettext_lazy(DJANGOS)})
    assert GERMAN in consumer.frames[0]


@pytest.mark.django_db
def test_a_request_leaves_no_language_behind_in_its_thread(client: Client) -> None:
    """The thread that served a German page goes on in the language it had before: work it
    does next (a test's own code, another job on a sync_to_async worker) is not German."""
    translation.activate("en")
    german = make_user("leaves.nothing@example.org", native_language="de", target_language="es")
    client.force_login(german)
    response = client.get(reverse("accounts:profile"))
    assert response["Content-Language"] == "de"
    assert translation.get_language() == "en"
