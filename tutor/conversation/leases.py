"""Leases: which process owns a conversation's Live session, with an expiry.

A lease is a value (the owner's token) under one key per conversation that disappears
`ttl` milliseconds after its last renewal. Redis holds it when the channel layer is Redis
(several processes): `SET NX PX` takes it, and compare-and-set scripts renew and release it
only for the token that holds it, so an owner that was too slow can never extend or delete
its successor's lease. With no Redis there is one process, and a dictionary does the same.

The design and its failure cases are in docs/ARCHITECTURE.md ("Conversations that move
between processes").
"""

from __future__ import annotations

import time
from typing import Any, Protocol
from uuid import UUID

# What a lease is on: a conversation (its UUID) or a group room (`room:<uuid>`, tutor.group).
LeaseKey = UUID | str

KEY_PREFIX = "tertulia:lease:"

# Take the lease if free; otherwise return who holds it. "" means: taken.
_ACQUIRE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return '' end
return redis.call('GET', KEYS[1]) or ''
"""
# Renew our own lease, or take it back if it vanished (Redis restarted empty); 0 if another
# token holds it: the lease is lost.
_RENEW = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
# Replace a given holder (a lease this process left behind) with a new token.
_REPLACE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1
end
return 0
"""


class LeaseStore(Protocol):
    shared: bool  # True: other processes see these leases

    async def acquire(self, key: LeaseKey, token: str, ttl_ms: int) -> str | None:
        """None if `token` now holds the lease; else the holder's token."""
        ...

    async def renew(self, key: LeaseKey, token: str, ttl_ms: int) -> bool: ...
    async def release(self, key: LeaseKey, token: str) -> None: ...
    async def replace(self, key: LeaseKey, old: str, token: str, ttl_ms: int) -> bool: ...
    async def holder(self, key: LeaseKey) -> str | None: ...
    async def close(self) -> None: ...


class RedisLeases:
    """Leases in Redis. Each call is one round trip; errors (Redis down) propagate and the
    caller decides (tutor.conversation.ownership fails open)."""

    shared = True

    def __init__(self, url: str, *, timeout: float = 1.0) -> None:
        from redis.asyncio import Redis

        # Short timeouts: a conversation must not hang on a Redis that does not answer.
        self._redis: Any = Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, decode_responses=True
        )
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._renew = self._redis.register_script(_RENEW)
        self._release = self._redis.register_script(_RELEASE)
        self._replace = self._redis.register_script(_REPLACE)

    async def acquire(self, key: LeaseKey, token: str, ttl_ms: int) -> str | None:
        holder = await self._acquire(keys=[_key(key)], args=[token, ttl_ms])
        return None if holder in ("", token) else str(holder)

    async def renew(self, key: LeaseKey, token: str, ttl_ms: int) -> bool:
        return bool(await self._renew(keys=[_key(key)], args=[token, ttl_ms]))

    async def release(self, key: LeaseKey, token: str) -> None:
        await self._release(keys=[_key(key)], args=[token])

    async def replace(self, key: LeaseKey, old: str, token: str, ttl_ms: int) -> bool:
        return bool(await self._replace(keys=[_key(key)], args=[old, token, ttl_ms]))

    async def holder(self, key: LeaseKey) -> str | None:
        value = await self._redis.get(_key(key))
        return str(value) if value else None

    async def close(self) -> None:
        await self._redis.aclose()


class LocalLeases:
    """The same semantics in this process's memory: for one process without Redis."""

    shared = False

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._leases: dict[LeaseKey, tuple[str, float]] = {}
        self._clock = clock

    def _current(self, key: LeaseKey) -> str | None:
        lease = self._leases.get(key)
        if lease is None or lease[1] <= self._clock():
            self._leases.pop(key, None)
            return None
        return lease[0]

    def _set(self, key: LeaseKey, token: str, ttl_ms: int) -> None:
        self._leases[key] = (token, self._clock() + ttl_ms / 1000)

    async def acquire(self, key: LeaseKey, token: str, ttl_ms: int) -> str | None:
        holder = self._current(key)
        if holder is None or holder == token:
            self._set(key, token, ttl_ms)
            return None
        return holder

    async def renew(self, key: LeaseKey, token: str, ttl_ms: int) -> bool:
        return await self.acquire(key, token, ttl_ms) is None

    async def release(self, key: LeaseKey, token: str) -> None:
        if self._current(key) == token:
            del self._leases[key]

    async def replace(self, key: LeaseKey, old: str, token: str, ttl_ms: int) -> bool:
        if self._current(key) != old:
            return False
        self._set(key, token, ttl_ms)
        return True

    async def holder(self, key: LeaseKey) -> str | None:
        return self._current(key)

    async def close(self) -> None:
        return None


def _key(conversation_id: LeaseKey) -> str:
    return f"{KEY_PREFIX}{conversation_id}"
