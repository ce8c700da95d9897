"""The fault suite: whatever breaks, every turn already spoken is stored exactly once, in order,
the learner never hears a second greeting, and the page ends in a clear state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest
from channels.db import database_sync_to_async
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from lessons.models import Assignment, Classroom, Membership
from tests.base import make_topic
from tests.tutor.conftest import SOCKET_TEST, kind, spanish_48k
from tests.tutor.conversation.talk import (
    TYPED,
    assert_clean,
    converse,
    exchange,
    join,
    saved,
    start_conversation,
)
from tutor.conversation.registry import REGISTRY
from tutor.emulator import Emulator, Fault

pytestmark = SOCKET_TEST


@pytest.mark.parametrize(
    "fault",
    [
        Fault(kind="goaway", after_turns=1),
        Fault(kind="goaway", after_turns=1, mid_turn=True),
        Fault(kind="close", code=1011, after_turns=1),
        Fault(kind="close", code=1011, after_turns=2, mid_turn=True),
        Fault(kind="abort", after_turns=1),
        Fault(kind="abort", after_turns=2, mid_turn=True),
    ],
    ids=["goaway", "goaway-mid-turn", "1011", "1011-mid-turn", "tcp-reset", "tcp-reset-mid-turn"],
)
async def test_upstream_faults_lose_and_repeat_nothing(
    emulator: Emulator, alice: User, fault: Fault
) -> None:
    emulator.inject(fault)
    conversation = await start_conversation(alice)
    client = await converse(conversation, TYPED, user=alice)
    stored, turns = await saved(conversation)
    assert_clean(stored, turns, TYPED)
    assert stored.reconnect_count >= 1
    assert len(emulator.sessions) >= 2
    assert emulator.sessions[1].resumed_from  # the second connection resumed with a handle
    assert "reconnecting" in client.kinds() and "resumed" in client.kinds()


async def test_a_goaway_while_the_learner_speaks_keeps_the_spoken_turn(
    emulator: Emulator, alice: User
) -> None:
    emulator.inject(Fault(kind="goaway", after_turns=1))
    conversation = await start_conversation(alice)
    await converse(conversation, [spanish_48k()], user=alice)
    stored, turns = await saved(conversation)
    assert [s for _, s, _ in turns] == ["tutor", "learner", "tutor"]
    assert stored.reconnect_count == 1


@override_settings(GEMINI_CONNECT_TIMEOUT=1)
@pytest.mark.parametrize(
    "fault",
    [Fault(kind="slow_setup", delay=0.5), Fault(kind="no_setup")],
    ids=["slow-setup", "missing-setup"],
)
async def test_a_slow_or_missing_setup_reply_is_survived(
    emulator: Emulator, alice: User, fault: Fault
) -> None:
    emulator.inject(fault)
    conversation = await start_conversation(alice)
    await converse(conversation, TYPED[:1], user=alice)
    stored, turns = await saved(conversation)
    assert_clean(stored, turns, TYPED[:1])


async def test_a_tool_call_the_bridge_cannot_honour_does_not_stall_the_tutor(
    emulator: Emulator, alice: User
) -> None:
    """The emulator waits for every tool response; an unanswerable call (here: a connection
    cut right after the call) must not leave the conversation hanging or a turn unstored."""
    emulator.inject(Fault(kind="abort", after_turns=1, mid_turn=True))
    conversation = await start_conversation(alice)
    await converse(conversation, TYPED[:2], user=alice)
    stored, turns = await saved(conversation)
    assert_clean(stored, turns, TYPED[:2])


def _admin() -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params["dbname"] = "postgres"
    return psycopg.connect(**params, autocommit=True)


def _database_down(name: str) -> None:
    """What a PostgreSQL restart looks like from the app: every connection is cut and new
    ones are refused until `_database_up`."""
    with _admin() as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )


def _database_up(name: str) -> None:
    with _admin() as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


@pytest.fixture
def _reconnect_after_outage() -> Iterator[None]:
    yield
    # pytest-django flushes with this thread's connection, which the outage killed.
    for conn in connections.all():
        conn.close_if_unusable_or_obsolete()


@pytest.mark.usefixtures("_reconnect_after_outage")
async def test_postgres_restarting_mid_conversation_loses_nothing(
    emulator: Emulator, alice: User
) -> None:
    conversation = await start_conversation(alice)
    name = connection.settings_dict["NAME"]
    client = await join(conversation, user=alice)
    await REGISTRY[conversation.pk].writer.drain()
    await database_sync_to_async(_database_down, thread_sensitive=False)(name)
    try:
        for line in TYPED[:2]:
            await exchange(client, line)
    finally:
        await database_sync_to_async(_database_up, thread_sensitive=False)(name)
    await client.send(type="end")
    await client.closed(within=60)
    stored, turns = await saved(conversation)
    assert_clean(stored, turns, TYPED[:2])
    assert stored.degraded  # the conversation records that writes had to be retried


@database_sync_to_async
def _assignment(alice: User) -> Assignment:
    teacher = User.objects.create_user(
        email="teacher@example.org",
        role="teacher",
        onboarded=True,
        native_language="en",  # English pages and frames (accounts/language.py)
        target_language="es",
    )
    classroom = Classroom.objects.create(teacher=teacher, name="2B", language="es")
    Membership.objects.create(classroom=classroom, learner=alice)
    topic = make_topic(level_max="B1")
    return Assignment.objects.create(
        classroom=classroom, topic=topic, due_at=timezone.now() + timedelta(days=7)
    )


@override_settings(
    CHANNEL_LAYERS={
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},  # nothing listens there: Redis is down
        }
    }
)
async def test_redis_being_down_does_not_touch_the_conversation(
    emulator: Emulator, alice: User
) -> None:
    assignment = await _assignment(alice)
    conversation = await start_conversation(alice, assignment=assignment)
    await converse(conversation, TYPED[:2], user=alice)
    stored, turns = await saved(conversation)
    assert_clean(stored, turns, TYPED[:2])
    assert stored.assignment_id == assignment.pk


@override_settings(RECONNECT_GRACE_SECONDS=10)
async def test_a_dropped_browser_resumes_without_a_second_greeting(
    emulator: Emulator, alice: User
) -> None:
    conversation = await start_conversation(alice)
    first = await join(conversation, user=alice)
    await exchange(first, TYPED[0])
    await first.disconnect()  # the network drops
    second = await join(conversation, user=alice, greeting=False)
    assert (await second.until(kind("ready")))["conversation"] == str(conversation.pk)
    await exchange(second, TYPED[1])
    await second.send(type="end")
    await second.closed()
    stored, turns = await saved(conversation)
    assert_clean(stored, turns, TYPED[:2])
    assert len(emulator.sessions) == 1


async def test_a_server_restart_picks_the_conversation_up_without_greeting_again(
    emulator: Emulator, alice: User
) -> None:
    """The process that held the conversation died (its runtime is gone) but the conversation
    is still active: a reconnecting page gets a new Live session that does not greet."""
    conversation = await start_conversation(alice)
    first = await join(conversation, user=alice)
    runtime = REGISTRY.pop(conversation.pk)
    await runtime.writer.drain()
    await runtime.tutor.close()  # as if the old process were gone
    await first.disconnect()
    second = await join(conversation, user=alice, greeting=False)
    await exchange(second, TYPED[0])
    await second.send(type="end")
    await second.closed()
    stored, turns = await saved(conversation)
    assert_clean(stored, turns, TYPED[:1])
