"""The djangojs catalog (/jsi18n/): static/js calls gettext, ngettext, pgettext and interpolate
as globals, so every page must load the catalog before its own scripts, the service worker must
not keep it (it changes with the language), and the offline page, shown without a network,
must not ask for it. What the scripts show in a browser is in tests/e2e."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.base import make_user
from tests.tutor.test_app_shell import _worker_config

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
CATALOG_TAG = '<script src="/jsi18n/?lang=en" defer></script>'
EXTENDS = re.compile(r'^\{% extends "([^"]+)" %\}')


def _extends_base(text: str) -> bool:
    """Whether a template extends base.html, itself or through its parents."""
    while match := EXTENDS.match(text):
        if match.group(1) == "base.html":
            return True
        text = (TEMPLATES / match.group(1)).read_text(encoding="utf-8")
    return False


def test_the_catalog_is_a_script_that_defines_the_functions(client: Client) -> None:
    response = client.get(reverse("javascript-catalog"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    for name in ("gettext", "ngettext", "pgettext", "interpolate"):
        assert f"django.{name} = function" in body, name
        assert f"globals.{name} = django.{name}" in body, name


def test_a_learner_not_yet_onboarded_gets_the_catalog_not_a_redirect(client: Client) -> None:
    client.force_login(make_user("catalog.new@example.org", onboarded=False))
    assert client.get(reverse("javascript-catalog")).status_code == 200
    assert client.get(reverse("lessons:home")).status_code == 302  # still sent to onboarding


def test_a_page_loads_the_catalog_before_its_scripts(client: Client) -> None:
    client.force_login(make_user("catalog.progress@example.org"))
    body = client.get(reverse("learn:progress")).content.decode()
    scripts = re.findall(r"<script [^>]*src=\"([^\"]+)\"", body)
    assert scripts[0] == "/jsi18n/?lang=en", scripts
    assert any(src.endswith("js/progress.js") for src in scripts)
    # The first deferred script: deferred scripts and modules run in document order after it.
    assert CATALOG_TAG in body


def test_every_template_with_a_script_gets_the_catalog_from_base_html() -> None:
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    assert base.index("{% url 'javascript-catalog' %}") < base.index("{% static 'js/nav.js' %}")
    assert base.index("{% url 'javascript-catalog' %}") < base.index("{% block scripts %}")
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if path.name == "base.html" or "<script" not in text:
            continue
        name = path.relative_to(TEMPLATES)
        assert _extends_base(text), name
        # Page scripts go in the scripts block, which base.html puts after the catalog.
        block = text[text.index("{% block scripts %}") :]
        assert text.count("<script") == block.count("<script"), name


def test_the_worker_leaves_the_catalog_to_the_network(client: Client) -> None:
    config = _worker_config(client.get("/sw.js").content.decode())
    catalog = reverse("javascript-catalog")
    assert not catalog.startswith(config["staticPrefix"])  # the worker caches only these
    assert catalog not in config["precache"]


def test_the_offline_page_does_not_ask_for_the_catalog(client: Client) -> None:
    body = client.get("/offline/").content.decode()
    assert "You're offline" in body
    assert "/jsi18n/" not in body
    assert "js/app_shell.js" in body  # the rest of base.html's scripts are still there
