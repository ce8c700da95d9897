"""A room's lease: at most one process holds a room's Live session. Its key is the room's own
(`room:<uuid>`, beside conversations' UUIDs in the same stores); it is held while the room
runs, released when it ends, and a request from another process moves every page (3012)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from channels.db import database_sync_to_async

from lessons.services import groups as services
from tests.tutor.conftest import SOCKET_TEST, final
from tests.tutor.group.test_room_socket import Member, _room
from tutor.conversation import ownership
from tutor.conversation.leases import LocalLeases, RedisLeases
from tutor.conversation.registry import REGISTRY
from tutor.emulator import Emulator
from tutor.group.runtime import lease_key

pytestmark = SOCKET_TEST


@pytest.mark.parametrize("kind", ["redis", "memory"])
async def test_a_rooms_key_is_not_a_conversations(kind: str, request: Any) -> None:
    store = RedisLeases(request.getfixturevalue("redis_url")) if kind == "redis" else LocalLeases()
    same = uuid.uuid4()
    assert await store.acquire(lease_key(same), "a#1", 5000) is None
    assert await store.acquire(same, "b#1", 5000) is None  # a conversation's: another key
    assert await store.holder(lease_key(same)) == "a#1"
    assert ownership.lease_key(lease_key(same)) == f"room:{same}"
    assert ownership.lease_key(str(same)) == same
    await store.release(lease_key(same), "a#1")
    await store.release(same, "b#1")
    if isinstance(store, RedisLeases):
        await store.close()


async def test_a_room_holds_its_lease_and_moves_when_asked(emulator: Emulator) -> None:
    room, users = await _room(2)
    pages = [Member(room, user) for user in users]
    for page in pages:
        await page.connect()
    for page in pages:
        await page.start()
    await pages[0].until(final("tutor"), within=30)
    runtime = REGISTRY[room.pk]
    owners = ownership.current()
    assert runtime.lease is not None and runtime.lease.conversation_id == lease_key(room.pk)
    token = runtime.lease.token
    assert await owners.store.holder(lease_key(room.pk)) == token
    # Another process asks for the room (a member's socket landed there).
    await owners.on_request(lease_key(room.pk), token)
    for page in pages:
        assert await page.closed(within=15) == 3012  # a drop: the pages reconnect there
    assert runtime.ended and REGISTRY.get(room.pk) is None
    assert await owners.store.holder(lease_key(room.pk)) is None


async def test_a_room_ended_from_the_teachers_page_ends_its_runtime(
    start_emulator: Any,
) -> None:
    """The teacher has no socket in the room: their End reaches the runtime by the database,
    at its next heartbeat, and every page is closed as ended."""
    await start_emulator(CONVERSATION_HEARTBEAT_SECONDS=0.2)
    room, users = await _room(2)
    pages = [Member(room, user) for user in users]
    for page in pages:
        await page.connect()
        await page.start()
    await pages[0].until(final("tutor"), within=30)
    await database_sync_to_async(services.group_end)(room_id=room.pk, reason="ended by host")
    for page in pages:
        assert await page.closed(within=10) == 1000
    assert room.pk not in REGISTRY
