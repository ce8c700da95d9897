"""The launch data PyLTI1p3 keeps between requests (the nonce and state issued at the login
initiation, the launch's claims) is shared by every server process: a login served by one
process and its launch by another succeed, and a replayed launch is refused whichever process
it reaches.

Each "process" is its own per-process cache (a LocMemCache of its own location, as each
Daphne process has when no shared cache is configured): what lived in Django's cache is lost
when the next request reaches the other one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from lessons.lti.storage import DatabaseLaunchStorage, purge_expired
from lessons.models import LtiLaunchValue
from tests.base import make_topic
from tests.lessons.lti.platform import INSTRUCTOR, Lms, launch_args

pytestmark = pytest.mark.django_db(transaction=True)

Process = Callable[[str], None]


@pytest.fixture
def on_process(settings: Any) -> Process:
    """`on_process("a")`: the next requests are served by process "a", with its own cache."""

    def switch(name: str) -> None:
        settings.CACHES = {  # setting_changed drops the cache handlers: a fresh, separate store
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"process-{name}",
            }
        }

    return switch


def test_a_login_on_one_process_launches_on_another_and_a_replay_is_refused_on_both(
    lms: Lms, on_process: Process
) -> None:
    browser = Client()
    on_process("a")
    prepared = lms.prepare(browser, **launch_args(user="t-1", roles=[INSTRUCTOR]))  # login on "a"
    form = {"id_token": prepared["id_token"], "state": prepared["state"]}
    on_process("b")
    launched = browser.post(prepared["launch_url"], form)
    assert launched.status_code == 302, launched.content.decode()[:500]
    assert User.objects.filter(lti_users__sub="t-1").exists()
    for process in ("b", "a"):  # the same id_token again, at either process
        on_process(process)
        again = browser.post(prepared["launch_url"], form)
        assert again.status_code == 403
        assert "already used" in again.content.decode()


def test_a_replay_from_another_browser_on_another_process_is_refused(
    lms: Lms, on_process: Process
) -> None:
    browser = Client()
    on_process("a")
    prepared = lms.prepare(browser, **launch_args(user="t-1", roles=[INSTRUCTOR]))
    form = {"id_token": prepared["id_token"], "state": prepared["state"]}
    assert browser.post(prepared["launch_url"], form).status_code == 302
    on_process("b")
    thief = Client()
    thief.cookies = browser.cookies  # even with the browser's cookies (state included)
    again = thief.post(prepared["launch_url"], form)
    assert again.status_code == 403 and "already used" in again.content.decode()


def test_the_deep_linking_picker_finds_its_launch_on_another_process(
    lms: Lms, on_process: Process
) -> None:
    topic = make_topic(slug="cafe-lti", language="es")
    teacher = Client()
    on_process("a")
    response = lms.launch(
        teacher, user="t-1", roles=[INSTRUCTOR], link=None, deep_link=True,
        custom={"language": "es"},
    )  # fmt: skip
    assert response["Location"] == reverse("lti:pick")
    on_process("b")  # the picker reads the launch's claims back from the storage
    page = teacher.get(reverse("lti:pick"))
    assert page.status_code == 200 and topic.title in page.content.decode()
    response = teacher.post(
        reverse("lti:pick"),
        {"topic": topic.pk, "due_at": "2030-01-10T10:00", "min_speaking_minutes": "4"},
    )
    [item] = lms.deep_link_items(response)
    assert item["type"] == "ltiResourceLink"


def test_a_value_past_its_expiry_is_gone_and_purged(db: None) -> None:
    storage = DatabaseLaunchStorage()
    storage.set_value("lti1p3-nonce-fresh", True, exp=3600)
    storage.set_value("lti1p3-nonce-stale", True, exp=3600)
    LtiLaunchValue.objects.filter(key="lti1p3-nonce-stale").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert storage.check_value("lti1p3-nonce-fresh") is True
    assert storage.get_value("lti1p3-nonce-fresh") is True
    assert storage.check_value("lti1p3-nonce-stale") is False  # expired, though still a row
    assert storage.get_value("lti1p3-nonce-stale") is None
    assert purge_expired() == 1
    assert list(LtiLaunchValue.objects.values_list("key", flat=True)) == ["lti1p3-nonce-fresh"]


def test_two_storages_see_the_same_values(db: None) -> None:
    """What one process's storage writes, another's reads; a later write replaces it."""
    first, second = DatabaseLaunchStorage(), DatabaseLaunchStorage()
    first.set_value("lti1p3-launch-x", {"iss": "https://lms.example", "nonce": "n-1"}, exp=60)
    assert second.get_value("lti1p3-launch-x") == {"iss": "https://lms.example", "nonce": "n-1"}
    second.set_value("lti1p3-launch-x", {"iss": "https://lms.example", "nonce": "n-2"}, exp=60)
    assert first.get_value("lti1p3-launch-x")["nonce"] == "n-2"
    assert LtiLaunchValue.objects.count() == 1


def test_each_login_initiation_purges_expired_values(lms: Lms) -> None:
    LtiLaunchValue.objects.create(
        key="lti1p3-nonce-old", value=True, expires_at=timezone.now() - timedelta(hours=1)
    )
    lms.prepare(Client(), **launch_args(user="t-1", roles=[INSTRUCTOR]))
    assert not LtiLaunchValue.objects.filter(key="lti1p3-nonce-old").exists()
    assert LtiLaunchValue.objects.filter(key__contains="nonce-").count() == 1  # the login's own
