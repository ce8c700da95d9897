"""The error pages: styled, in the site's layout where that is safe, never Django's bare or
debug pages. (pytest-django runs with DEBUG off, as `make run` now does: tests/test_make_run.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings
from django.urls import get_resolver, reverse

from accounts.models import User
from tutor.errors import server_error

# What Django's technical 404 page says; none of it may reach a visitor.
DEBUG_MARKERS = ("URLconf", "Django tried these URL patterns", "DEBUG = True")


def _styled(body: str) -> None:
    assert "css/site.css" in body
    assert 'class="card error-card"' in body
    for marker in DEBUG_MARKERS:
        assert marker not in body


@pytest.mark.django_db
@pytest.mark.smoke
def test_a_learner_on_the_operator_page_gets_the_styled_404(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.get(reverse("ops:dashboard"))
    assert response.status_code == 404
    body = response.content.decode()
    _styled(body)
    assert "We can't find that page" in body
    assert 'class="site-header"' in body and alice.name in body  # the whole layout, signed in
    assert "ops/" not in body.replace(reverse("ops:dashboard"), "")  # no list of routes


@pytest.mark.django_db
def test_an_unknown_address_gets_the_styled_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    _styled(response.content.decode())
    assert response.templates[0].name == "404.html"


@pytest.mark.django_db
def test_a_learner_on_a_teacher_page_gets_the_styled_403_with_a_way_on(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    response = client.get(reverse("teach:dashboard"))
    assert response.status_code == 403
    body = response.content.decode()
    _styled(body)
    assert "Only teachers can open this page." in body
    assert reverse("accounts:profile") in body  # where to become a teacher


@pytest.mark.django_db
def test_a_failed_csrf_check_gets_the_styled_page(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("accounts:profile"), {"display_name": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    _styled(body)
    assert "That form had expired" in body
    assert "CSRF verification failed" not in body


@pytest.mark.django_db
def test_a_request_for_an_unknown_host_gets_the_styled_400(client: Client) -> None:
    response = client.get(reverse("landing"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    body = response.content.decode()
    _styled(body)
    assert "We couldn't read that request" in body


def test_the_500_page_needs_neither_the_database_nor_the_context_processors() -> None:
    """No `db` fixture here: any query would raise. A context processor that fails must not
    matter either, since the page is rendered without the request."""
    assert get_resolver().resolve_error_handler(500) is server_error
    request = RequestFactory().get("/anything/")
    failing = {"OPTIONS": {"context_processors": ["tests.test_error_pages.exploding"]}}
    templates = [{**_template_settings(), **failing}]
    with override_settings(TEMPLATES=templates):
        response = server_error(request)
    assert response.status_code == 500
    body = response.content.decode()
    _styled(body)
    assert "Something went wrong on our side" in body


def exploding(request: HttpRequest) -> dict[str, Any]:
    raise RuntimeError("the database is down")


def _template_settings() -> dict[str, Any]:
    from django.conf import settings

    base = dict(settings.TEMPLATES[0])
    base["OPTIONS"] = dict(base["OPTIONS"])
    return base


@pytest.mark.django_db
def test_an_exception_in_a_view_gets_the_styled_500(client: Client, alice: User) -> None:
    """Through the whole stack: the handler the URLconf names, for a view that fails."""
    client.raise_request_exception = False
    client.force_login(alice)
    with override_settings(ROOT_URLCONF="tests.failing_urls"):
        response = client.get("/fail/")
    assert response.status_code == 500
    _styled(response.content.decode())
