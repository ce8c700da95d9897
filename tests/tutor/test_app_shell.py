"""The installable app's files (tutor/app_shell.py): the manifest, the service worker and the
offline page, as Django serves them. What the worker does in a browser is in
tests/e2e/test_install.py."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.base import make_user
from tutor import app_shell

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _worker_config(body: str) -> dict[str, Any]:
    match = re.search(r"^const CONFIG = (\{.*\});$", body, re.MULTILINE)
    assert match, "the worker names its configuration on one line"
    config: dict[str, Any] = json.loads(match.group(1))
    return config


def test_the_manifest_names_the_site_and_opens_standalone(client: Client, settings: Any) -> None:
    settings.SITE_NAME = "Escuela Abierta de Idiomas"
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Escuela Abierta de Idiomas"
    assert data["short_name"] == "Escuela"  # fits under the icon, cut at a word
    assert (data["start_url"], data["scope"], data["display"]) == ("/", "/", "standalone")


def test_the_manifest_speaks_the_language_in_its_address(client: Client) -> None:
    response = client.get("/manifest.webmanifest?lang=fr", HTTP_ACCEPT_LANGUAGE="de")
    data = json.loads(response.content)
    assert (data["lang"], data["dir"]) == ("fr", "ltr")
    assert (
        data["description"]
        == "Entraînez-vous à parler une langue avec un tuteur vocal en temps réel."
    )
    assert data["name"] == "Tertulia"  # a proper name, in every language
    assert response["Content-Language"] == "fr"
    # One address, one language: kept for an hour, since no visitor's choice changes it.
    assert "max-age=3600" in response["Cache-Control"]
    assert "no-cache" not in response["Cache-Control"]
    japanese = json.loads(client.get("/manifest.webmanifest?lang=ja").content)
    assert japanese["lang"] == "ja" and japanese["description"] != data["description"]
    english = json.loads(client.get("/manifest.webmanifest?lang=en").content)
    assert english["description"] == "Practise speaking a language with a real-time voice tutor."


def test_a_manifest_without_a_language_follows_the_request_and_is_not_cached(
    client: Client,
) -> None:
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="de")
    assert json.loads(response.content)["lang"] == "de"
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in response["Vary"].split(",")}
    learner = make_user("manifest.reader@example.org", native_language="it")
    client.force_login(learner)
    data = json.loads(client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="de").content)
    assert data["lang"] == "it"


def test_each_page_links_the_manifest_in_its_own_language(client: Client) -> None:
    client.cookies["django_language"] = "pt"
    body = client.get(reverse("landing")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=pt">' in body
    # The worker caches static files only: the manifest, outside STATIC_URL, is never kept.
    config = _worker_config(client.get("/sw.js").content.decode())
    assert not reverse("manifest").startswith(config["staticPrefix"])
    assert not any("manifest" in url for url in config["precache"])


def test_the_manifest_colours_are_the_stylesheets(client: Client) -> None:
    data = json.loads(client.get(reverse("manifest")).content)
    css = (ROOT / "static/css/site.css").read_text()
    light = css[: css.index("@media (prefers-color-scheme: dark)")]
    assert f"--brand: {data['theme_color']};" in light
    assert f"--bg: {data['background_color']};" in light
    # The page's own theme-color (the address bar before the manifest is read) agrees.
    page = client.get(reverse("landing")).content.decode()
    assert f'<meta name="theme-color" content="{data["theme_color"]}">' in page


def test_the_manifest_icons_are_pngs_of_the_sizes_it_states(client: Client) -> None:
    data = json.loads(client.get(reverse("manifest")).content)
    purposes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert purposes == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for icon in data["icons"]:
        assert icon["src"].startswith("/static/img/icons/")
        path = finders.find(icon["src"].removeprefix("/static/"))
        png = Path(str(path)).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert f"{width}x{height}" == icon["sizes"]


def test_every_page_links_the_manifest_and_registers_the_worker(client: Client) -> None:
    body = client.get(reverse("landing")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=en">' in body
    assert 'data-service-worker="/sw.js"' in body
    assert "js/app_shell.js" in body


def test_the_worker_is_javascript_allowed_the_whole_site(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]  # a new deploy is seen on the next visit


def test_the_worker_keeps_only_static_files_and_the_offline_page(client: Client) -> None:
    config = _worker_config(client.get("/sw.js").content.decode())
    assert config["staticPrefix"] == "/static/"
    assert config["offline"] == "/offline/"
    assert config["precache"][0] == "/offline/"
    assert all(url.startswith("/static/") for url in config["precache"][1:])
    assert "/static/css/site.css" in config["precache"]


def test_the_worker_version_follows_the_static_files(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    (tmp_path / "extra.css").write_text("a { color: red }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    app_shell.static_version.cache_clear()
    finders.get_finder.cache_clear()
    try:
        first = _worker_config(client.get("/sw.js").content.decode())["version"]
        app_shell.static_version.cache_clear()
        assert _worker_config(client.get("/sw.js").content.decode())["version"] == first
        (tmp_path / "extra.css").write_text("a { color: blue }")
        app_shell.static_version.cache_clear()
        assert _worker_config(client.get("/sw.js").content.decode())["version"] != first
    finally:
        app_shell.static_version.cache_clear()
        finders.get_finder.cache_clear()


def test_the_offline_page_names_nobody_even_when_fetched_signed_in(client: Client) -> None:
    learner = make_user("dolores.offline@example.org", display_name="Dolores Fuertes")
    client.force_login(learner)
    response = client.get("/offline/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "You're offline" in body
    assert "What still works" in body
    assert "Dolores" not in body
    assert "csrfmiddlewaretoken" not in body
    assert "Sign out" not in body
    assert 'class="site-header"' in body  # the site's look


def test_a_learner_not_yet_onboarded_still_gets_the_apps_files(client: Client) -> None:
    client.force_login(make_user("new.learner@example.org", onboarded=False))
    for path in ("/manifest.webmanifest", "/sw.js", "/offline/"):
        assert client.get(path).status_code == 200, path
    assert client.get(reverse("lessons:home")).status_code == 302  # still sent to onboarding


def test_the_apps_files_refuse_writes(client: Client) -> None:
    for path in ("/manifest.webmanifest", "/sw.js", "/offline/"):
        assert client.post(path).status_code == 405, path


def test_under_debug_the_version_is_read_afresh(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    """A developer edits a stylesheet without restarting: the next visit gets a new worker."""
    (tmp_path / "extra.css").write_text("a { color: red }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    settings.DEBUG = True
    finders.get_finder.cache_clear()
    try:
        first = _worker_config(client.get("/sw.js").content.decode())["version"]
        (tmp_path / "extra.css").write_text("a { color: blue }")
        assert _worker_config(client.get("/sw.js").content.decode())["version"] != first
    finally:
        app_shell.static_version.cache_clear()
        finders.get_finder.cache_clear()


def test_in_production_the_apps_files_name_the_hashed_static_files(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    """As deployed: collectstatic's manifest storage, whose URLs carry each file's hash."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    icons = [
        icon["src"] for icon in json.loads(client.get("/manifest.webmanifest").content)["icons"]
    ]
    assert all(re.fullmatch(r"/static/img/icons/[\w-]+\.[0-9a-f]{12}\.png", src) for src in icons)
    config = _worker_config(client.get("/sw.js").content.decode())
    assert config["staticPrefix"] == "/static/"
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", config["precache"][1])
    assert client.get("/offline/").status_code == 200
