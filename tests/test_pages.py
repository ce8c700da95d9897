"""Every page renders for the right people and refuses or redirects the wrong ones."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_the_landing_page_says_what_tertulia_does(client: Client) -> None:
    body = client.get(reverse("landing")).content.decode()
    assert "Try one minute free" in body
    assert "voice tutor" in body


def test_signed_in_visitors_skip_the_landing_page(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get(reverse("landing"))["Location"] == reverse("lessons:home")


def test_home_lists_topics_for_the_learners_language_and_level(
    client: Client, alice: User, topics: None
) -> None:
    client.force_login(alice)
    response = client.get(reverse("lessons:home"))
    assert response.status_code == 200
    shown = response.context["topics"]
    assert shown
    assert all(t.language == "es" and t.level_min <= "A2" <= t.level_max for t in shown)


def test_home_needs_sign_in(client: Client) -> None:
    response = client.get(reverse("lessons:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_allauth_pages_use_the_site_layout(client: Client, name: str) -> None:
    body = client.get(reverse(name)).content.decode()
    assert 'class="site-header"' in body
    assert "css/site.css" in body


def test_pages_carry_security_headers(client: Client) -> None:
    response = client.get(reverse("landing"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_healthz(client: Client) -> None:
    assert client.get("/healthz").content == b"ok"
