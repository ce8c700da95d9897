"""The lease stores: one holder at a time, expiry, and compare-and-set renew and release, in
Redis (several processes) and in memory (one process) alike."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tutor.conversation.leases import LeaseStore, LocalLeases, RedisLeases

pytestmark = pytest.mark.asyncio


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["redis", "memory"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[tuple[LeaseStore, Any]]:
    """The store, and how to let `ms` milliseconds pass for it."""
    if request.param == "memory":
        clock = Clock()

        async def advance(ms: int) -> None:
            clock.now += ms / 1000

        yield LocalLeases(clock), advance
        return
    leases = RedisLeases(request.getfixturevalue("redis_url"))

    async def wait(ms: int) -> None:
        await asyncio.sleep(ms / 1000)

    yield leases, wait
    await leases.close()


async def test_one_holder_at_a_time_until_released(store: tuple[LeaseStore, Any]) -> None:
    leases, _ = store
    key = uuid.uuid4()
    assert await leases.acquire(key, "a#1", 5000) is None
    assert await leases.acquire(key, "b#1", 5000) == "a#1"
    assert await leases.holder(key) == "a#1"
    await leases.release(key, "b#1")  # not b's to release
    assert await leases.holder(key) == "a#1"
    await leases.release(key, "a#1")
    assert await leases.holder(key) is None
    assert await leases.acquire(key, "b#1", 5000) is None


async def test_a_lease_not_renewed_expires_and_its_holder_learns_it_is_lost(
    store: tuple[LeaseStore, Any],
) -> None:
    leases, wait = store
    key = uuid.uuid4()
    # Waits only ever run late: the checks that the lease still holds have a second to spare.
    assert await leases.acquire(key, "a#1", 2000) is None
    await wait(1000)
    assert await leases.renew(key, "a#1", 2000)  # renewed in time: two seconds from now
    await wait(1000)
    assert await leases.acquire(key, "b#1", 2000) == "a#1"
    await wait(1500)
    assert await leases.acquire(key, "b#1", 5000) is None  # expired: b takes it
    assert not await leases.renew(key, "a#1", 5000)  # a learns it lost it
    assert await leases.holder(key) == "b#1"


async def test_a_renewal_takes_back_a_lease_that_vanished(store: tuple[LeaseStore, Any]) -> None:
    """Redis restarted empty: the owner keeps its conversation rather than give it up."""
    leases, wait = store
    key = uuid.uuid4()
    assert await leases.acquire(key, "a#1", 100) is None
    await wait(150)
    assert await leases.holder(key) is None
    assert await leases.renew(key, "a#1", 5000)
    assert await leases.holder(key) == "a#1"


async def test_replace_moves_only_the_named_holder(store: tuple[LeaseStore, Any]) -> None:
    leases, _ = store
    key = uuid.uuid4()
    assert await leases.acquire(key, "a#1", 5000) is None
    assert not await leases.replace(key, "x#9", "b#1", 5000)
    assert await leases.replace(key, "a#1", "a#2", 5000)
    assert await leases.holder(key) == "a#2"


async def test_redis_leases_are_shared_and_memory_leases_are_not(
    store: tuple[LeaseStore, Any],
) -> None:
    leases, _ = store
    assert leases.shared is isinstance(leases, RedisLeases)
