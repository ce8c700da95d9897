"""Handing a conversation between processes, in one process: a second `Ownership` (its own
lease token and channel on the Redis layer) stands for the other process. The real thing,
two Daphne processes behind nginx, is tests/multiprocess/."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings

from accounts.models import User
from lessons.models import Conversation, Turn
from lessons.services import conversations as services
from tests.tutor.conftest import Client, final
from tests.tutor.conversation.talk import GREETING_MARK
from tutor.channel_layers import redis_layer
from tutor.conversation import ownership, protocol
from tutor.conversation.drain import drain
from tutor.conversation.ownership import Lease
from tutor.conversation.registry import REGISTRY
from tutor.emulator import Emulator

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("no_runtime_leaks"),
]

TYPED = ["Yo soy cansado hoy", "Mañana voy a la playa con mis amigos"]


@pytest.fixture
def shared(redis_url: str) -> Iterator[None]:
    """Several processes: the Redis channel layer, and so leases in Redis."""
    with override_settings(
        CHANNEL_LAYERS={"default": redis_layer(redis_url)}, CONVERSATION_LEASE_SECONDS=2
    ):
        yield


@database_sync_to_async
def _start(learner: User) -> Conversation:
    return services.conversation_start(learner=learner)


@database_sync_to_async
def _stored(conversation: Conversation) -> tuple[Conversation, list[tuple[int, str, str]]]:
    turns = Turn.objects.filter(conversation=conversation).order_by("ordinal")
    fresh = Conversation.objects.get(pk=conversation.pk)
    return fresh, list(turns.values_list("ordinal", "speaker", "text"))


async def _talk(client: Client, line: str) -> None:
    await client.send(type="text", text=line)
    said = await client.until(lambda e: final("learner")(e) and e["text"] == line)
    await client.until(lambda e: final("tutor")(e) and e["turn"] > said["turn"], within=30)


async def _greeted(conversation: Conversation, alice: User) -> Client:
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await client.start()
    await client.until(final("tutor"), within=30)
    return client


@pytest.mark.usefixtures("shared")
async def test_the_owner_hands_over_and_the_next_resumes_its_session(
    emulator: Emulator, alice: User
) -> None:
    conversation = await _start(alice)
    first = await _greeted(conversation, alice)
    await _talk(first, TYPED[0])
    other = ownership.from_settings()  # another process asks for the conversation
    lease = await other.claim(conversation.pk)
    assert lease is not None
    assert await first.closed() == protocol.CLOSE_REPLACED  # the page there took it
    assert conversation.pk not in REGISTRY
    stored, turns = await _stored(conversation)
    handle = emulator.sessions[0].handles_issued[-1]  # the one after the last turn
    assert len(turns) == 3
    assert (stored.live_handle, stored.live_handle_turns) == (handle, 3)
    assert emulator.sessions[0].closed_at is not None  # closed before the lease was let go
    await lease.release()

    second = Client(conversation.pk, user=alice)  # the page, reconnected
    await second.connect()
    await second.start()
    await _talk(second, TYPED[1])
    await second.send(type="end")
    assert await second.closed(within=30) == 1000
    stored, turns = await _stored(conversation)
    before, after = emulator.sessions
    assert after.resumed_from == handle  # the same Live session carried on
    assert (before.closed_at or 0) <= (after.opened_at or 0)  # never two open at once
    assert [o for o, _, _ in turns] == list(range(len(turns)))
    assert [t for _, s, t in turns if s == "learner"] == TYPED
    assert sum(GREETING_MARK in t for _, s, t in turns if s == "tutor") == 1
    assert (stored.status, stored.live_handle) == ("ended", "")


class Away:
    """A runtime in another process that lets go when asked."""

    def __init__(self, lease: Lease) -> None:
        self.lease = lease
        self.asked = asyncio.Event()

    async def hand_over(self, *, close_code: int | None, lost: bool = False) -> None:
        self.asked.set()
        await self.lease.release()


@pytest.mark.usefixtures("shared")
async def test_a_socket_waits_for_the_owner_elsewhere_to_let_go(
    emulator: Emulator, alice: User
) -> None:
    conversation = await _start(alice)
    other = ownership.from_settings()
    lease = await other.claim(conversation.pk)
    assert lease is not None
    lease.holder = away = Away(lease)
    await _greeted(conversation, alice)  # connected only once the other let go
    assert away.asked.is_set()
    assert REGISTRY[conversation.pk].lease is not None


@pytest.mark.usefixtures("shared")
async def test_a_runtime_that_lost_its_lease_lets_go_at_once(
    emulator: Emulator, alice: User
) -> None:
    conversation = await _start(alice)
    client = await _greeted(conversation, alice)
    runtime = REGISTRY[conversation.pk]
    assert runtime.lease is not None
    # Another process took it (this one stalled past the expiry): the next renewal sees it.
    store = runtime.lease.owner.store
    assert await store.replace(conversation.pk, runtime.lease.token, "elsewhere#1", 60_000)
    assert await client.closed(within=10) == protocol.CLOSE_MOVED
    assert conversation.pk not in REGISTRY
    assert emulator.sessions[0].closed_at is not None
    assert await store.holder(conversation.pk) == "elsewhere#1"  # not released: not ours
    stored, _ = await _stored(conversation)
    assert (stored.status, stored.live_handle) == ("active", "")  # nothing stored for it


@pytest.mark.usefixtures("shared")
async def test_draining_hands_every_conversation_over_and_refuses_new_ones(
    emulator: Emulator, alice: User, charlie: User
) -> None:
    talking, away = await _start(alice), await _start(charlie)
    client = await _greeted(talking, alice)
    left = await _greeted(away, charlie)
    await left.disconnect()  # its page is away: no consumer, still in its grace period
    await drain()
    assert await client.closed() == protocol.CLOSE_MOVED  # the page reconnects elsewhere
    assert not REGISTRY
    for conversation in (talking, away):
        stored, turns = await _stored(conversation)
        assert stored.status == "active" and stored.live_handle_turns == len(turns) == 1
        assert await ownership.current().store.holder(conversation.pk) is None
    late = Client(talking.pk, user=alice)
    await late.connect()
    assert await late.closed() == protocol.CLOSE_TRY_AGAIN


@override_settings(CHANNEL_LAYERS={"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}})
async def test_alone_draining_finishes_every_conversation(emulator: Emulator, alice: User) -> None:
    conversation = await _start(alice)
    client = await _greeted(conversation, alice)
    await client.disconnect()  # in its grace period: only the drain can finish it
    await drain()
    stored, _ = await _stored(conversation)
    assert (stored.status, stored.end_reason) == ("ended", "server_shutdown")
    assert not REGISTRY
