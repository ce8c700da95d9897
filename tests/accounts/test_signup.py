from __future__ import annotations

import pytest
from django.contrib.auth import get_user
from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.models import User
from tests.base import PASSWORD

pytestmark = pytest.mark.django_db

# A complete onboarding form: Erin, a German speaker learning French at B1.
ONBOARDING = {
    "display_name": "Erin",
    "native_language": "de",
    "target_language": "fr",
    "level": "B1",
    "correction_style": "explain",
    "role": "learner",
}


@pytest.fixture
def erin_signed_up(client: Client) -> User:
    """A new account (not yet onboarded), signed in."""
    user = User.objects.create_user(email="erin@example.org", password=PASSWORD)
    client.login(email="erin@example.org", password=PASSWORD)
    return user


def _onboard(client: Client, **changes: str) -> HttpResponse:
    """Post the onboarding form: ONBOARDING with `changes` applied."""
    return client.post(reverse("accounts:onboarding"), {**ONBOARDING, **changes})


def test_it_signs_up_by_email_and_sends_onboarding(client: Client) -> None:
    response = client.post(
        reverse("account_signup"),
        {
            "email": "dana@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Dana",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:onboarding")
    user = User.objects.get(email="dana@example.org")
    assert get_user(client) == user  # signed in as the new account
    assert user.display_name == "Dana"
    assert not user.onboarded
    # Verification goes to the console backend in development (locmem under tests).
    assert any("dana@example.org" in m.to for m in mail.outbox)


@pytest.mark.usefixtures("erin_signed_up")
def test_it_sends_a_new_user_to_onboarding_until_done(client: Client) -> None:
    response = client.get(reverse("lessons:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:onboarding"))


@pytest.mark.usefixtures("erin_signed_up")
def test_onboarding_saves_languages_level_and_style(client: Client) -> None:
    page = client.get(reverse("accounts:onboarding"), {"role": "learner"})
    assert "I can say hello, introduce myself" in page.content.decode()  # can-do statements
    response = _onboard(client)
    assert response.status_code == 302
    user = User.objects.get(email="erin@example.org")
    assert (user.native_language, user.target_language, user.level) == ("de", "fr", "B1")
    assert user.correction_style == "explain"
    assert user.onboarded
    assert client.get(reverse("lessons:home")).status_code == 200


@pytest.mark.usefixtures("erin_signed_up")
def test_onboarding_refuses_learning_your_own_language(client: Client) -> None:
    response = _onboard(client, native_language="fr", correction_style="recast")
    assert response.status_code == 200
    assert "You already speak French" in response.content.decode()
    assert not User.objects.get(email="erin@example.org").onboarded


def test_it_logs_in_with_email(client: Client) -> None:
    erin = User.objects.create_user(email="erin@example.org", password=PASSWORD, onboarded=True)
    User.objects.create_user(email="frank@example.org", password=PASSWORD, onboarded=True)
    response = client.post(
        reverse("account_login"), {"login": "erin@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert get_user(client) == erin  # the session holds Erin, not just any account
    home = client.get(reverse("lessons:home"))
    assert home.status_code == 200
    assert home.wsgi_request.user == erin


def test_a_wrong_password_signs_nobody_in(client: Client) -> None:
    User.objects.create_user(email="erin@example.org", password=PASSWORD, onboarded=True)
    response = client.post(
        reverse("account_login"), {"login": "erin@example.org", "password": PASSWORD + "x"}
    )
    assert response.status_code == 200  # the form again, with its error
    assert not get_user(client).is_authenticated
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("erin_signed_up")
def test_onboarding_continues_to_where_the_user_was_going(client: Client) -> None:
    detour = client.get("/teach/join/ABCD2345/")
    assert detour["Location"] == "/welcome/?next=%2Fteach%2Fjoin%2FABCD2345%2F"
    choice = client.get(detour["Location"]).content.decode()
    assert "/welcome/?next=%2Fteach%2Fjoin%2FABCD2345%2F&amp;role=learner" in choice
    page = client.get(detour["Location"] + "&role=learner")
    assert 'name="next" value="/teach/join/ABCD2345/"' in page.content.decode()
    response = _onboard(client, next="/teach/join/ABCD2345/")
    assert response["Location"] == "/teach/join/ABCD2345/"


@pytest.mark.usefixtures("erin_signed_up")
def test_onboarding_ignores_a_next_that_leaves_the_site(client: Client) -> None:
    response = _onboard(client, next="https://evil.example/")
    assert response["Location"] == reverse("lessons:home")


def test_a_visitor_reading_german_signs_up_with_german_as_native_language(client: Client) -> None:
    response = client.post(
        reverse("account_signup"),
        {
            "email": "lena@example.org",
            "password1": "a long pass phrase 9",
            "password2": "a long pass phrase 9",
        },
        headers={"accept-language": "de"},
    )
    assert response.status_code == 302
    lena = User.objects.get(email="lena@example.org")
    assert (lena.native_language, lena.target_language) == ("de", "es")
    # Reading Spanish, the language learned cannot stay Spanish too (native differs from target).
    client.logout()
    client.post(
        reverse("account_signup"),
        {
            "email": "sol@example.org",
            "password1": "a long pass phrase 9",
            "password2": "a long pass phrase 9",
        },
        headers={"accept-language": "es"},
    )
    sol = User.objects.get(email="sol@example.org")
    assert sol.native_language == "es" and sol.target_language != "es"


def test_onboarding_greets_in_the_native_language_just_chosen(
    client: Client, erin_signed_up: User
) -> None:
    # Erin reads English until she says she speaks German; the welcome is German already.
    response = _onboard(client)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    with translation.override("de"):
        welcome = translation.gettext("You're all set. Pick a topic and start talking!")
    assert welcome != "You're all set. Pick a topic and start talking!"
    assert escape(welcome) in page
    assert '<html lang="de"' in page
