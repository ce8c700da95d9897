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
from lessons.models import Assignment, Classroom, Conversation, Membership, Topic, Turn
from lessons.services import conversations as services
from tests.tutor.conftest import Client, final, kind, spanish_48k
from tutor.conversation.registry import REGISTRY
from tutor.emulator import Emulator, Fault
from tutor.emulator.roleplay import lines_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("no_runtime_leaks"),
]

GREETING_MARK = lines_for("es").notice  # said once, first, by the emulator's Spanish greeting
TYPED = ["Yo soy cansado hoy", "Mañana voy a la playa con mis amigos", "Me gusta mucho el café"]


@database_sync_to_async
def _start(learner: User, assignment: Assignment | None = None) -> Conversation:
    topic = assignment.topic if assignment else None
    return services.conversation_start(learner=learner, topic=topic, assignment=assignment)


@database_sync_to_async
def _stored(conversation: Conversation) -> tuple[Conversation, list[tuple[int, str, str]]]:
    fresh = Conversation.objects.get(pk=conversation.pk)
    turns = list(
        Turn.objects.filter(conversation=conversation)
        .order_by("ordinal")
        .values_list("ordinal", "speaker", "text")
    )
    return fresh, turns


async def _converse(client: Client, lines: list[str]) -> None:
    """Greeting, then one typed line and the tutor's answer per line, then end."""
    await client.start()
    await client.until(final("tutor"), within=30)
    for line in lines:
        await client.send(type="text", text=line)
        typed = await client.until(lambda e, line=line: final("learner")(e) and e["text"] == line)
        await client.until(
            lambda e, t=typed: final("tutor")(e) and e["turn"] > t["turn"], within=30
        )
    await client.send(type="end")
    assert await client.closed(within=30) == 1000


def _assert_clean(
    conversation: Conversation, turns: list[tuple[int, str, str]], lines: list[str]
) -> None:
    assert [ordinal for ordinal, _, _ in turns] == list(range(len(turns))), "gaps in ordinals"
    learner = [text for _, speaker, text in turns if speaker == "learner"]
    assert learner == lines, "learner turns missing or duplicated"
    tutor = [text for _, speaker, text in turns if speaker == "tutor"]
    assert sum(GREETING_MARK in text for text in tutor) == 1, "greeted twice (or never)"
    assert len(tutor) >= len(lines) + 1
    assert conversation.status == "ended"


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
    conversation = await _start(alice)
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await _converse(client, TYPED)
    stored, turns = await _stored(conversation)
    _assert_clean(stored, turns, TYPED)
    assert stored.reconnect_count >= 1
    assert len(emulator.sessions) >= 2
    assert emulator.sessions[1].resumed_from  # the second connection resumed with a handle
    assert "reconnecting" in client.kinds() and "resumed" in client.kinds()


async def test_a_goaway_while_the_learner_speaks_keeps_the_spoken_turn(
    emulator: Emulator, alice: User
) -> None:
    emulator.inject(Fault(kind="goaway", after_turns=1))
    conversation = await _start(alice)
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await client.start()
    await client.until(final("tutor"))
    await client.speak(spanish_48k())
    learner = await client.until(final("learner"), within=30)
    await client.until(lambda e: final("tutor")(e) and e["turn"] > learner["turn"], within=30)
    await client.send(type="end")
    await client.closed()
    stored, turns = await _stored(conversation)
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
    conversation = await _start(alice)
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await _converse(client, TYPED[:1])
    stored, turns = await _stored(conversation)
    _assert_clean(stored, turns, TYPED[:1])


async def test_a_tool_call_the_bridge_cannot_honour_does_not_stall_the_tutor(
    emulator: Emulator, alice: User
) -> None:
    """The emulator waits for every tool response; an unanswerable call (here: a connection
    cut right after the call) must not leave the conversation hanging or a turn unstored."""
    emulator.inject(Fault(kind="abort", after_turns=1, mid_turn=True))
    conversation = await _start(alice)
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await _converse(client, TYPED[:2])
    stored, turns = await _stored(conversation)
    _assert_clean(stored, turns, TYPED[:2])


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
    conversation = await _start(alice)
    name = connection.settings_dict["NAME"]
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await client.start()
    await client.until(final("tutor"))
    await REGISTRY[conversation.pk].writer.drain()
    await database_sync_to_async(_database_down, thread_sensitive=False)(name)
    try:
        for line in TYPED[:2]:
            await client.send(type="text", text=line)
            typed = await client.until(
                lambda e, line=line: final("learner")(e) and e["text"] == line
            )
            await client.until(
                lambda e, t=typed: final("tutor")(e) and e["turn"] > t["turn"], within=30
            )
    finally:
        await database_sync_to_async(_database_up, thread_sensitive=False)(name)
    await client.send(type="end")
    await client.closed(within=60)
    stored, turns = await _stored(conversation)
    _assert_clean(stored, turns, TYPED[:2])
    assert stored.degraded  # the conversation records that writes had to be retried


@database_sync_to_async
def _assignment(alice: User) -> Assignment:
    teacher = User.objects.create_user(
        email="teacher@example.org",
        role="teacher",
        onboarded=True,
        native_language="es",
        target_language="en",
    )
    classroom = Classroom.objects.create(teacher=teacher, name="2B", language="es")
    Membership.objects.create(classroom=classroom, learner=alice)
    topic = Topic.objects.create(
        slug="t",
        language="es",
        title="T",
        scenario="S",
        tutor_role="R",
        level_min="A1",
        level_max="B1",
    )
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
    conversation = await _start(alice, assignment)
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await _converse(client, TYPED[:2])
    stored, turns = await _stored(conversation)
    _assert_clean(stored, turns, TYPED[:2])
    assert stored.assignment_id == assignment.pk


@override_settings(RECONNECT_GRACE_SECONDS=10)
async def test_a_dropped_browser_resumes_without_a_second_greeting(
    emulator: Emulator, alice: User
) -> None:
    conversation = await _start(alice)
    first = Client(conversation.pk, user=alice)
    await first.connect()
    await first.start()
    await first.until(final("tutor"))
    await first.send(type="text", text=TYPED[0])
    await first.until(lambda e: final("tutor")(e) and e["turn"] >= 2, within=30)
    await first.disconnect()  # the network drops
    second = Client(conversation.pk, user=alice)
    await second.connect()
    await second.start()
    ready = await second.until(kind("ready"))
    assert ready["conversation"] == str(conversation.pk)
    await second.send(type="text", text=TYPED[1])
    await second.until(lambda e: final("tutor")(e) and e["turn"] >= 4, within=30)
    await second.send(type="end")
    await second.closed()
    stored, turns = await _stored(conversation)
    _assert_clean(stored, turns, TYPED[:2])
    assert len(emulator.sessions) == 1


async def test_a_server_restart_picks_the_conversation_up_without_greeting_again(
    emulator: Emulator, alice: User
) -> None:
    """The process that held the conversation died (its runtime is gone) but the conversation
    is still active: a reconnecting page gets a new Live session that does not greet."""
    conversation = await _start(alice)
    first = Client(conversation.pk, user=alice)
    await first.connect()
    await first.start()
    await first.until(final("tutor"))
    runtime = REGISTRY.pop(conversation.pk)
    await runtime.writer.drain()
    await runtime.tutor.close()  # as if the old process were gone
    await first.disconnect()
    second = Client(conversation.pk, user=alice)
    await second.connect()
    await second.start()
    await second.send(type="text", text=TYPED[0])
    await second.until(lambda e: final("tutor")(e) and e["turn"] >= 2, within=30)
    await second.send(type="end")
    await second.closed()
    stored, turns = await _stored(conversation)
    _assert_clean(stored, turns, TYPED[:1])
