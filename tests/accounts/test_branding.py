"""Sign-up, sign-in and their e-mails carry the site's own name and address (SITE_NAME,
SITE_URL), not allauth's stock text and not the host the request came to; a trial visitor is
told, truthfully, that their trial is kept."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accounts.models import User
from lessons.models import Conversation
from tests.base import PASSWORD
from tutor.env import envurl
from tutor.errors import server_error

pytestmark = pytest.mark.django_db

DANA = {"email": "dana@example.org", "password1": PASSWORD, "password2": PASSWORD}
SCHOOL = {
    "SITE_NAME": "Escuela Sol",
    "SITE_URL": "https://speak.example.org",
    "ACCOUNT_EMAIL_SUBJECT_PREFIX": "Escuela Sol: ",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """allauth rate-limits confirmation mails per address in the cache, which outlives a test."""
    cache.clear()


def test_the_sign_up_mail_names_the_site_not_the_host(client: Client) -> None:
    client.post(reverse("account_signup"), {**DANA, "display_name": "Dana"})
    (message,) = mail.outbox
    assert message.subject == "Tertulia: Welcome! Please confirm your e-mail address"
    assert message.from_email == "Tertulia <noreply@localhost>"
    assert message.body.startswith("Hello Dana,\n\nWelcome to Tertulia!")
    assert "Hello from" not in message.body and "testserver!" not in message.body
    link = re.search(r"http://testserver/accounts/confirm-email/\S+", message.body)
    assert link, message.body  # no SITE_URL: the address the request came to
    assert message.body.rstrip().endswith("Tertulia\nhttp://testserver")


def test_with_site_url_every_link_and_name_is_the_sites(client: Client) -> None:
    with override_settings(**SCHOOL):
        client.post(reverse("account_signup"), DANA)
    (message,) = mail.outbox
    assert message.subject.startswith("Escuela Sol: ")
    assert "Welcome to Escuela Sol!" in message.body
    link = re.search(r"https://speak\.example\.org(/accounts/confirm-email/\S+)", message.body)
    assert link, message.body
    assert "testserver" not in message.body
    page = client.get(link.group(1))  # the link's path is a real confirmation page
    assert page.status_code == 200 and "dana@example.org" in page.content.decode()


def test_the_password_reset_mail_is_branded_too(client: Client, alice: User) -> None:
    with override_settings(**SCHOOL):
        client.post(reverse("account_reset_password"), {"email": alice.email})
    (message,) = mail.outbox
    assert message.subject == "Escuela Sol: Reset your password"
    assert "your account at Escuela Sol" in message.body
    assert re.search(r"https://speak\.example\.org/accounts/password/reset/key/\S+", message.body)


def test_a_mail_about_another_address_does_not_greet_the_signed_in_user(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    (message,) = mail.outbox
    assert message.subject == "Tertulia: There is no account with this address"
    assert message.body.startswith("Hello,\n")
    assert "Alice" not in message.body


def test_sign_up_and_sign_in_pages_use_the_sites_form_layout(client: Client) -> None:
    for name, heading in (
        ("account_signup", "Create your free account"),
        ("account_login", "Welcome back"),
    ):
        body = client.get(reverse(name)).content.decode()
        assert heading in body
        assert 'class="stack-form auth-form"' in body
        assert '<label for="id_email">E-mail address</label>' in body or (
            '<label for="id_login">E-mail address</label>' in body
        )
        assert 'placeholder="Email address"' not in body  # a label, not a placeholder


def test_a_trial_visitor_is_told_the_trial_is_kept_and_it_is(client: Client) -> None:
    generic = client.get(reverse("account_signup")).content.decode()
    assert "Tried a minute without an account in this browser?" in generic
    client.post(reverse("tutor:trial"), {"language": "fr"})
    trial = Conversation.objects.get(learner=None)
    page = client.get(reverse("account_signup")).content.decode()
    assert "Your trial conversation is kept" in page
    client.post(reverse("account_signup"), DANA)
    trial.refresh_from_db()
    assert trial.learner == User.objects.get(email="dana@example.org")


def test_signing_in_keeps_the_trial_as_well(client: Client, alice: User) -> None:
    client.post(reverse("tutor:trial"), {"language": "es"})
    assert (
        "Your trial conversation is kept" in client.get(reverse("account_login")).content.decode()
    )
    client.post(reverse("account_login"), {"login": alice.email, "password": PASSWORD})
    assert Conversation.objects.get().learner == alice


@override_settings(SITE_NAME="Escuela Sol")
def test_pages_carry_the_site_name(client: Client) -> None:
    body = client.get(reverse("landing")).content.decode()
    assert "· Escuela Sol</title>" in body
    assert "Escuela Sol · runs on Tertulia" in body
    failed = server_error(RequestFactory().get("/")).content.decode()
    assert "Escuela Sol" in failed


def test_site_url_must_be_an_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://speak.example.org/")
    assert envurl("SITE_URL") == "https://speak.example.org"
    for bad in ("speak.example.org", "ftp://speak.example.org", "https://speak.example.org/app"):
        monkeypatch.setenv("SITE_URL", bad)
        with pytest.raises(ImproperlyConfigured, match="SITE_URL must be"):
            envurl("SITE_URL")
