"""A teacher's first run: onboarding asks what they teach (not what they learn), lands on the
teaching page, and the topic library and new classrooms start from their languages."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import Classroom
from tests.base import PASSWORD

pytestmark = pytest.mark.django_db

TEACHER = {
    "role": "teacher",
    "display_name": "Tina",
    "native_language": "en",  # her pages (read below in English) follow it: accounts/language.py
    "teaching_languages": ["es"],
    "teaching_level_min": "A1",
    "teaching_level_max": "B2",
}


@pytest.fixture
def tina(client: Client) -> User:
    """A new account (not yet onboarded; the defaults say learner of Spanish), signed in."""
    user = User.objects.create_user(email="tina@example.org", password=PASSWORD)
    client.force_login(user)
    return user


def test_onboarding_first_asks_whether_you_learn_or_teach(client: Client, tina: User) -> None:
    page = client.get(reverse("accounts:onboarding"), {"next": "/teach/join/ABCD2345/"})
    body = page.content.decode()
    assert "I'm learning a language" in body and "I teach a language" in body
    assert "?next=%2Fteach%2Fjoin%2FABCD2345%2F&amp;role=teacher" in body  # next survives
    assert "My speaking level" not in body  # no learner questions before the choice


def test_the_teacher_path_asks_what_they_teach_not_what_they_learn(
    client: Client, tina: User
) -> None:
    body = client.get(reverse("accounts:onboarding"), {"role": "teacher"}).content.decode()
    assert "What do you teach?" in body
    assert 'name="teaching_languages"' in body and 'name="teaching_level_max"' in body
    for learner_question in ("I am learning", "My speaking level", "When I make a mistake"):
        assert learner_question not in body


def test_a_teacher_lands_on_the_teaching_page(client: Client, tina: User) -> None:
    response = client.post(
        reverse("accounts:onboarding"), {**TEACHER, "teaching_languages": ["fr", "es"]}
    )
    assert response["Location"] == reverse("teach:dashboard")
    tina.refresh_from_db()
    assert (tina.role, tina.onboarded, tina.native_language) == ("teacher", True, "en")
    assert tina.teaching_languages == ["es", "fr"]  # in the checkboxes' order
    assert (tina.teaching_level_min, tina.teaching_level_max) == ("A1", "B2")
    # English is her own language, so the learner side of her account names another one.
    assert tina.target_language not in ("en", "")
    dashboard = client.get(response["Location"])
    assert dashboard.status_code == 200
    assert "You teach Spanish, French · A1–B2" in dashboard.content.decode()


def test_the_teacher_path_needs_a_language_and_an_ordered_range(client: Client, tina: User) -> None:
    response = client.post(
        reverse("accounts:onboarding"),
        {
            **TEACHER,
            "teaching_languages": [],
            "teaching_level_min": "C1",
            "teaching_level_max": "A2",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tick at least one language you teach." in body
    assert "The highest level must not be below the lowest." in body
    tina.refresh_from_db()
    assert not tina.onboarded and tina.role == "learner"


def test_the_learner_path_still_lands_on_practice(client: Client, tina: User) -> None:
    learner = {
        "role": "learner",
        "native_language": "en",
        "target_language": "es",
        "level": "A2",
        "correction_style": "recast",
    }
    response = client.post(reverse("accounts:onboarding"), learner)
    assert response["Location"] == reverse("lessons:home")
    tina.refresh_from_db()
    assert (tina.role, tina.onboarded) == ("learner", True)


def test_signing_in_before_onboarding_does_not_pin_the_learner_home_as_next(
    client: Client,
) -> None:
    """The bug: sign-in lands on /home/, onboarding kept it as `next`, and the teacher ended
    up on learner topics."""
    User.objects.create_user(email="tina@example.org", password=PASSWORD)
    signed_in = client.post(
        reverse("account_login"), {"login": "tina@example.org", "password": PASSWORD}, follow=True
    )
    assert signed_in.redirect_chain[-1][0] == reverse("accounts:onboarding")
    response = client.post(reverse("accounts:onboarding"), TEACHER)
    assert response["Location"] == reverse("teach:dashboard")


def test_a_teacher_signing_in_starts_on_the_teaching_page(client: Client, bob: User) -> None:
    response = client.post(reverse("account_login"), {"login": bob.email, "password": PASSWORD})
    assert response["Location"] == reverse("teach:dashboard")
    assert client.get(reverse("landing"))["Location"] == reverse("teach:dashboard")


def test_the_topic_library_lists_the_teachers_languages_first(
    client: Client, tina: User, topics: None
) -> None:
    client.post(reverse("accounts:onboarding"), {**TEACHER, "teaching_languages": ["it", "es"]})
    page = client.get(reverse("teach:topics"))
    languages = list(dict.fromkeys(topic.language for topic in page.context["builtin"]))
    assert languages[:2] == ["es", "it"]  # hers (in the checkboxes' order), before German
    assert languages.index("de") > 1
    body = page.content.decode()
    assert body.index('optgroup label="Spanish"') < body.index('optgroup label="German"')


def test_a_new_classroom_starts_from_what_the_teacher_teaches(client: Client, tina: User) -> None:
    client.post(reverse("accounts:onboarding"), {**TEACHER, "teaching_languages": ["fr"]})
    form = client.get(reverse("teach:classroom_new")).context["form"]
    assert (form["language"].value(), form["level_min"].value(), form["level_max"].value()) == (
        "fr",
        "A1",
        "B2",
    )


def test_a_teacher_without_stated_languages_gets_their_classrooms_languages_first(
    client: Client, bob: User, topics: None
) -> None:
    """Teachers from before onboarding asked (bob states none, and teaches Spanish 2B)."""
    assert bob.teaching_languages == []
    Classroom.objects.create(teacher=bob, name="Deutsch", language="de")
    client.force_login(bob)
    languages = [t.language for t in client.get(reverse("teach:topics")).context["builtin"]]
    assert list(dict.fromkeys(languages))[:2] == ["es", "de"]


def test_the_profile_edits_what_a_teacher_teaches(client: Client, bob: User) -> None:
    client.force_login(bob)
    assert 'name="teaching_languages"' in client.get(reverse("accounts:profile")).content.decode()
    profile = {
        "display_name": "Bob",
        "native_language": "en",
        "target_language": "es",
        "level": "C2",
        "correction_style": "recast",
        "role": "teacher",
        "teaching_languages": ["es", "pt"],
        "teaching_level_min": "B1",
        "teaching_level_max": "C2",
    }
    assert client.post(reverse("accounts:profile"), profile).status_code == 302
    bob.refresh_from_db()
    assert (bob.teaching_languages, bob.teaching_level_min) == (["es", "pt"], "B1")


def test_a_learners_profile_does_not_ask_what_they_teach(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert "teaching_languages" not in client.get(reverse("accounts:profile")).content.decode()


def test_createsuperuser_as_the_readme_says_opens_the_operator_page(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(os.environ, "DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--no-input", "--email", "ops@example.org", verbosity=0)
    assert client.login(email="ops@example.org", password=PASSWORD)
    assert client.get(reverse("ops:dashboard")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200
