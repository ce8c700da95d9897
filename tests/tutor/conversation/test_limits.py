"""Every abuse limit, through the door a visitor would use, each with a small override; and
each read from its environment variable.

Elsewhere: TRIAL_SECONDS and MAX_INBOUND_BYTES_PER_SECOND in test_consumer.py,
MAX_INBOUND_FRAMES_PER_SECOND in test_consumer_fuzz.py, TRIAL_WINDOW_SECONDS in
tests/lessons/test_conversation_services.py.
"""

from __future__ import annotations

import os

import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from lessons.models import Conversation
from tests.base import make_user
from tests.servers import run_python
from tests.tutor.conftest import Client as SocketClient
from tests.tutor.conftest import final, kind
from tutor.conversation.registry import REGISTRY
from tutor.conversation.runtime import ConversationRuntime
from tutor.emulator import Emulator


def _browser(ip: str, user: User | None = None) -> Client:
    client = Client(REMOTE_ADDR=ip)
    if user is not None:
        client.force_login(user)
    return client


def _trial(client: Client) -> str:
    return client.post(reverse("tutor:trial"), {"language": "es"})["Location"]


@pytest.mark.django_db
@override_settings(TRIALS_PER_SESSION=2, TRIALS_PER_IP=3)
def test_trials_are_limited_per_browser_session_and_per_address() -> None:
    first = _browser("203.0.113.7")
    assert _trial(first).startswith("/conversations/")
    assert _trial(first).startswith("/conversations/")
    assert _trial(first) == reverse("account_signup")  # this browser's two are used
    assert _trial(_browser("203.0.113.7")).startswith("/conversations/")  # a third browser
    assert _trial(_browser("203.0.113.7")) == reverse("account_signup")  # the address's three
    assert _trial(_browser("198.51.100.1")).startswith("/conversations/")  # elsewhere: fine
    assert Conversation.objects.filter(learner__isnull=True).count() == 4


def _start(client: Client) -> str:
    return client.post(reverse("tutor:start"))["Location"]


@pytest.mark.django_db
@override_settings(CONVERSATION_STARTS_PER_HOUR=2)
def test_a_learner_may_start_so_many_conversations_an_hour(alice: User, bob: User) -> None:
    client = _browser("203.0.113.7", alice)
    assert [_start(client) != reverse("lessons:home") for _ in range(3)] == [True, True, False]
    assert _start(_browser("203.0.113.7", bob)) != reverse("lessons:home")  # bob has his own


@pytest.mark.django_db
@override_settings(CONVERSATION_STARTS_PER_IP_PER_HOUR=3)
def test_many_accounts_from_one_address_share_an_hourly_start_limit(
    alice: User, bob: User, charlie: User
) -> None:
    starts = [_start(_browser("203.0.113.7", who)) for who in (alice, bob, charlie, alice)]
    assert [url != reverse("lessons:home") for url in starts] == [True, True, True, False]
    refused = _browser("203.0.113.7", charlie).post(reverse("tutor:start"), follow=True)
    assert "started from your network" in refused.content.decode()
    assert _start(_browser("198.51.100.1", charlie)) != reverse("lessons:home")
    assert Conversation.objects.exclude(start_ip=None).count() == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@override_settings(CONVERSATION_MAX_SECONDS=2, RECONNECT_GRACE_SECONDS=0)
async def test_a_conversation_ends_at_its_maximum_length(emulator: Emulator, alice: User) -> None:
    conversation = await database_sync_to_async(Conversation.objects.create)(
        learner=alice, language="es", level="A2"
    )
    client = SocketClient(conversation.pk, user=alice)
    await client.connect()
    await client.start()
    await client.until(final("tutor"))
    error = await client.until(kind("error"), within=10)
    assert error["code"] == "time_limit"
    assert await client.closed() == 4408
    try:
        done = await database_sync_to_async(Conversation.objects.get)(pk=conversation.pk)
        assert (done.status, done.end_reason) == ("ended", "time_limit")
        again = SocketClient(conversation.pk, user=alice)
        await again.connect()
        assert await again.closed() == 4410  # over is over: no second half-hour
    finally:
        for runtime in list(REGISTRY.values()):
            await runtime.finish("test_teardown")
        await database_sync_to_async(connections.close_all)()


LIMITS = {
    "TRIAL_SECONDS": "61",
    "TRIALS_PER_SESSION": "2",
    "TRIALS_PER_IP": "6",
    "TRIAL_WINDOW_SECONDS": "7200",
    "CONVERSATION_MAX_SECONDS": "900",
    "CONVERSATION_STARTS_PER_HOUR": "31",
    "CONVERSATION_STARTS_PER_IP_PER_HOUR": "301",
    "MAX_INBOUND_BYTES_PER_SECOND": "128000",
    "MAX_INBOUND_FRAMES_PER_SECOND": "150",
    "STORE_LEARNER_AUDIO": "1",
    "AUDIO_RETENTION_DAYS": "14",
    "TRANSCRIPT_RETENTION_DAYS": "365",
    "TRIAL_RETENTION_DAYS": "3",
}


def test_every_limit_and_retention_period_comes_from_the_environment() -> None:
    # Settings only parse DATABASE_URL; a dummy one keeps the embedded server out of this.
    database = {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/unused"}
    env = {**os.environ, **LIMITS, **database, "DJANGO_SETTINGS_MODULE": "tutor.settings"}
    code = "from django.conf import settings as s; print(*(getattr(s, n) for n in %r))"
    result = run_python(["-c", code % list(LIMITS)], env)
    assert result.returncode == 0, result.stderr
    expected = ["True" if v == "1" and n.startswith("STORE") else v for n, v in LIMITS.items()]
    assert result.stdout.split() == expected


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@override_settings(CONVERSATION_MAX_SECONDS=2, RECONNECT_GRACE_SECONDS=0)
async def test_the_time_limit_is_told_in_the_learners_language(emulator: Emulator) -> None:
    """The runtime's clock runs outside any request: its words leave in the socket's language."""
    learner = await database_sync_to_async(make_user)(
        "zeit.grenze@example.org", native_language="de", target_language="es"
    )
    conversation = await database_sync_to_async(Conversation.objects.create)(
        learner=learner, language="es", level="A2"
    )
    client = SocketClient(conversation.pk, user=learner)
    await client.connect()
    await client.start()
    error = await client.until(kind("error"), within=15)
    with translation.override("de"):
        german = translation.gettext(ConversationRuntime.limit_message)
    assert german != ConversationRuntime.limit_message
    assert (error["code"], error["message"]) == ("time_limit", german)
    try:
        assert await client.closed() == 4408
    finally:
        for runtime in list(REGISTRY.values()):
            await runtime.finish("test_teardown")
        await database_sync_to_async(connections.close_all)()
