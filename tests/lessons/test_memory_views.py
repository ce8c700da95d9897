"""The profile's "What your tutor remembers" (lessons/learner_views/memory.py and the
`learner_memory` tag): reading, editing and deleting lines, and the off switch."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import MemoryLine

pytestmark = pytest.mark.django_db


@pytest.fixture
def sister(alice: User) -> MemoryLine:
    return MemoryLine.objects.create(
        learner=alice, kind="person", text='Sister in Lyon: "mi hermana vive en Lyon"'
    )


def page(client: Client) -> str:
    return client.get(reverse("accounts:profile")).content.decode()


def test_the_profile_shows_each_line_in_plain_words_with_its_own_forms(
    client: Client, alice: User, sister: MemoryLine
) -> None:
    MemoryLine.objects.create(learner=alice, kind="error", text='Says "yo voy"', position=1)
    client.force_login(alice)
    html = page(client)
    assert "What your tutor remembers" in html
    assert "your teachers never do" in html
    assert f'<label for="memory-line-{sister.pk}" class="memory-kind">Person</label>' in html
    assert "Recurring error" in html
    assert 'value="Sister in Lyon: &quot;mi hermana vive en Lyon&quot;"' in html
    assert reverse("learn:memory_edit", args=[sister.pk]) in html
    assert reverse("learn:memory_delete", args=[sister.pk]) in html
    # Every form posts with its CSRF token.
    assert html.count("csrfmiddlewaretoken") >= html.count('method="post"')
    assert "2 of at most 12 lines" in html


def test_a_learner_with_nothing_remembered_is_told_so(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert "Nothing yet." in page(client)


def test_editing_a_line_saves_it_and_says_so(
    client: Client, alice: User, sister: MemoryLine
) -> None:
    client.force_login(alice)
    url = reverse("learn:memory_edit", args=[sister.pk])
    response = client.post(url, {"text": "  My sister lives in   Marseille "}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:profile") + "#memory"
    sister.refresh_from_db()
    assert sister.text == "My sister lives in Marseille"
    assert "Saved. Your tutor now remembers: “My sister lives in Marseille”" in (
        response.content.decode()
    )


def test_an_edit_that_cannot_be_kept_says_why_and_changes_nothing(
    client: Client, alice: User, sister: MemoryLine
) -> None:
    client.force_login(alice)
    url = reverse("learn:memory_edit", args=[sister.pk])
    html = client.post(url, {"text": "   "}, follow=True).content.decode()
    assert "Not saved: A line cannot be empty. To remove it, use Delete." in html
    sister.refresh_from_db()
    assert "Lyon" in sister.text


def test_deleting_a_line_forgets_it(client: Client, alice: User, sister: MemoryLine) -> None:
    client.force_login(alice)
    response = client.post(reverse("learn:memory_delete", args=[sister.pk]), follow=True)
    assert "Your tutor has forgotten that line." in response.content.decode()
    assert not MemoryLine.objects.exists()


def test_nobody_touches_another_learners_lines(
    client: Client, charlie: User, sister: MemoryLine
) -> None:
    client.force_login(charlie)
    assert "Lyon" not in page(client)
    edit = client.post(reverse("learn:memory_edit", args=[sister.pk]), {"text": "Mine"})
    delete = client.post(reverse("learn:memory_delete", args=[sister.pk]))
    assert (edit.status_code, delete.status_code) == (404, 404)
    sister.refresh_from_db()
    assert "Lyon" in sister.text


def test_turning_memory_off_keeps_or_forgets_as_chosen(
    client: Client, alice: User, sister: MemoryLine
) -> None:
    client.force_login(alice)
    url = reverse("learn:memory_switch")
    html = client.post(url, {"memory": "off", "forget": "no"}, follow=True).content.decode()
    alice.refresh_from_db()
    assert not alice.tutor_memory and MemoryLine.objects.count() == 1
    assert "Memory is off. Your tutor will not use or update what it remembers." in html
    assert "Memory is <strong>off</strong>" in html
    assert "Turn memory on" in html and "Delete everything it remembers" in html
    html = client.post(reverse("learn:memory_forget"), follow=True).content.decode()
    assert "Your tutor remembers nothing about you now." in html
    assert not MemoryLine.objects.exists()
    html = client.post(url, {"memory": "on"}, follow=True).content.decode()
    alice.refresh_from_db()
    assert alice.tutor_memory and "Memory is on." in html


def test_turning_memory_off_can_forget_at_once(
    client: Client, alice: User, sister: MemoryLine
) -> None:
    client.force_login(alice)
    response = client.post(
        reverse("learn:memory_switch"), {"memory": "off", "forget": "yes"}, follow=True
    )
    assert "everything your tutor remembered is deleted" in response.content.decode()
    assert not MemoryLine.objects.exists()


def test_the_forms_refuse_a_post_without_the_csrf_token(alice: User, sister: MemoryLine) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    html = page(client)
    assert client.post(reverse("learn:memory_delete", args=[sister.pk])).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    response = client.post(
        reverse("learn:memory_delete", args=[sister.pk]), {"csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302 and not MemoryLine.objects.exists()


def test_the_profile_of_a_teacher_has_no_memory_section(client: Client, bob: User) -> None:
    client.force_login(bob)
    assert "What your tutor remembers" not in page(client)
