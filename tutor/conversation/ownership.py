"""Which server process owns a conversation, and asking the owner to let go.

Each process (each event loop) has one `Ownership`: a lease store (Redis when the channel
layer is Redis, else this process's memory), and, with Redis, a channel on the layer where
other processes ask it to hand a conversation over. `claim` takes a conversation's lease for a
new runtime: at once if it is free; otherwise it asks the holder to hand over (the owner
stores what the next one needs and releases the lease) and waits, up to the lease's expiry
if the holder died. The owner's side is `tutor.conversation.handover`; the design and its
failure cases are in docs/ARCHITECTURE.md ("Conversations that move between processes").

Redis down: leases cannot be taken or renewed, and the conversation goes on without one
(as before leases existed) rather than fail; a lease is only ever given up when another
token is seen holding it.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from channels.layers import channel_layers
from django.conf import settings
from django.core.signals import setting_changed
from redis.exceptions import RedisError

from tutor.conversation import protocol
from tutor.conversation.leases import LeaseKey, LeaseStore, LocalLeases, RedisLeases

logger = logging.getLogger(__name__)

HAND_OVER = "conversation.hand_over"  # the channel-layer message asking an owner to let go
POLL_SECONDS = 0.05  # how often a claim looks at a lease it waits for
ASK_AGAIN_SECONDS = 1.0  # a request is repeated (one may arrive before the owner listens)
STORE_ERRORS = (RedisError, OSError, TimeoutError)
# Other messages an owner answers on its channel, by type: a group room's typed line sent over
# HTTP (tutor.group.relay registers it). A handler gets this Ownership and the message.
HANDLERS: dict[str, Callable[[Ownership, dict[str, Any]], Awaitable[None]]] = {}


class LeaseUnavailable(Exception):
    """The lease store cannot be read (Redis down)."""


class Holder(Protocol):
    """A runtime holding a lease (tutor.conversation.runtime.ConversationRuntime)."""

    async def hand_over(self, *, close_code: int | None, lost: bool = False) -> None: ...


@dataclass(eq=False)
class Lease:
    conversation_id: LeaseKey
    token: str
    owner: Ownership
    holder: Holder | None = None  # None while the runtime is being built

    async def renew(self) -> bool:
        """False only when another token holds it now: an unreachable store is no loss."""
        try:
            return await self.owner.store.renew(
                self.conversation_id, self.token, self.owner.ttl_ms()
            )
        except STORE_ERRORS as exc:
            logger.warning("conversation %s: lease not renewed (%s)", self.conversation_id, exc)
            return True

    async def release(self) -> None:
        self.owner.forget(self)
        try:
            await self.owner.store.release(self.conversation_id, self.token)
        except STORE_ERRORS as exc:  # it expires on its own
            logger.warning("conversation %s: lease not released (%s)", self.conversation_id, exc)


class Ownership:
    def __init__(self, store: LeaseStore, layer: Any | None) -> None:
        self.store = store
        # A channel layer of this event loop's own; None without Redis.
        self.layer: Any = layer
        self.channel = "" if layer is not None else "local"
        self.draining = False  # SIGTERM: no new conversations here (tutor.conversation.drain)
        self._leases: dict[str, Lease] = {}
        self._listener: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.local_replies: dict[int, asyncio.Queue[dict[str, Any]]] = {}

    @property
    def shared(self) -> bool:
        """Whether other processes may take conversations from this one."""
        return self.store.shared

    @staticmethod
    def ttl_ms() -> int:
        return int(settings.CONVERSATION_LEASE_SECONDS * 1000)

    async def claim(self, conversation_id: LeaseKey) -> Lease | None:
        """This process's lease on the conversation, or None if its holder did not let go in
        time (the page then retries)."""
        await self._name_channel()
        lease = Lease(conversation_id, f"{self.channel}#{secrets.token_hex(6)}", self)
        # Known before it is taken: a request naming it must never find it "left behind".
        self._leases[lease.token] = lease
        loop = asyncio.get_running_loop()
        began = loop.time()
        deadline = began + _claim_seconds()
        asked, asked_at = "", 0.0
        while True:
            try:
                holder = await self.store.acquire(conversation_id, lease.token, self.ttl_ms())
            except STORE_ERRORS as exc:
                logger.warning("conversation %s: no lease (%s); going on", conversation_id, exc)
                holder = None
            if holder is None:
                self._listen()
                if asked:
                    waited = loop.time() - began
                    logger.info("conversation %s taken over in %.3f s", conversation_id, waited)
                return lease
            now = loop.time()
            if now >= deadline:
                self.forget(lease)
                logger.warning("conversation %s: its owner did not let go", conversation_id)
                return None
            if holder != asked or now - asked_at >= ASK_AGAIN_SECONDS:
                await self._ask(conversation_id, holder)
                asked, asked_at = holder, now
            await asyncio.sleep(POLL_SECONDS)

    async def try_claim(self, key: LeaseKey, tag: str) -> tuple[Lease | None, str | None]:
        """The lease if it is free now, without asking its holder to let go: (lease, None),
        else (None, the holder's token). `tag` goes into the token, so that whoever finds it
        held knows what holds it (a group room's typed reply, `typed`, holds it for seconds)."""
        await self._name_channel()
        lease = Lease(key, f"{self.channel}#{tag}-{secrets.token_hex(6)}", self)
        # Known before it is taken: a hand-over request naming it waits, not "left behind".
        self._leases[lease.token] = lease
        try:
            holder = await self.store.acquire(key, lease.token, self.ttl_ms())
        except STORE_ERRORS as exc:
            self.forget(lease)
            raise LeaseUnavailable(str(exc)) from exc
        if holder is not None:
            self.forget(lease)
            return None, holder
        self._listen()
        return lease, None

    async def holder(self, key: LeaseKey) -> str | None:
        try:
            return await self.store.holder(key)
        except STORE_ERRORS as exc:
            raise LeaseUnavailable(str(exc)) from exc

    async def _name_channel(self) -> None:
        if not self.channel:
            self.channel = await self.layer.new_channel(prefix="tertulia-owner")

    async def request(
        self, token: str, message: dict[str, Any], *, within: float
    ) -> dict[str, Any] | None:
        """Send `message` to the process holding `token` (through its channel, this one's
        too, so there is one path) and wait for its answer; None when none came in time.
        Without a channel layer there is only this process: the handler is called here."""
        handler = HANDLERS[str(message["type"])]
        channel = token.rpartition("#")[0]
        if self.layer is None:
            if channel != self.channel:
                return None
            answers: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
            self.local_replies[id(answers)] = answers
            try:
                await handler(self, {**message, "reply": str(id(answers))})
                return await asyncio.wait_for(answers.get(), within)
            except TimeoutError:
                return None
            finally:
                self.local_replies.pop(id(answers), None)
        # The owner channel's prefix: channels_redis fetches a process's "!" channels from
        # one list per prefix, under one lock, so a reply on another prefix could wait behind
        # the hand-over listener's blocking read.
        reply = await self.layer.new_channel(prefix="tertulia-owner")
        try:
            await self.layer.send(channel, {**message, "reply": reply})
            return dict(await asyncio.wait_for(self.layer.receive(reply), within))
        except TimeoutError:
            return None

    async def answer(self, message: dict[str, Any], reply: dict[str, Any]) -> None:
        """The answer to a `request`."""
        to = str(message.get("reply", ""))
        if self.layer is None:
            queue = self.local_replies.get(int(to)) if to.isdigit() else None
            if queue is not None:
                queue.put_nowait(reply)
            return
        try:
            await self.layer.send(to, reply)
        except Exception as exc:  # the asker times out and says so
            logger.warning("could not answer a %s request (%r)", message.get("type"), exc)

    def forget(self, lease: Lease) -> None:
        if self._leases.get(lease.token) is lease:
            del self._leases[lease.token]
        if not self._leases and self._listener is not None:
            self._listener.cancel()  # listens only while it holds leases
            self._listener = None

    async def _ask(self, conversation_id: LeaseKey, holder: str) -> None:
        channel = holder.rpartition("#")[0]
        if self.layer is None or channel == self.channel:
            self._spawn(self.on_request(conversation_id, holder))
            return
        message = {"type": HAND_OVER, "conversation": str(conversation_id), "token": holder}
        try:
            await self.layer.send(channel, message)
        except Exception as exc:  # the layer is down: the lease expires if the owner died
            logger.warning("conversation %s: could not ask its owner (%s)", conversation_id, exc)

    async def on_request(self, conversation_id: LeaseKey, token: str) -> None:
        """Another socket wants the conversation whose lease `token` (ours) names."""
        lease = self._leases.get(token)
        if lease is None:  # no runtime of ours has it: a lease left behind, let it go
            await self.store.release(conversation_id, token)
        elif lease.holder is not None:  # None: still being set up; it will be asked again
            await lease.holder.hand_over(close_code=protocol.CLOSE_REPLACED)

    def _listen(self) -> None:
        if self.layer is not None and self._listener is None:
            self._listener = asyncio.create_task(self._receive(), name="ownership-listener")

    async def _receive(self) -> None:
        while self._listener is asyncio.current_task():  # until `forget` lets it go
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("hand-over channel unavailable (%r); retrying", exc)
                await asyncio.sleep(1.0)
                continue
            if message.get("type") == HAND_OVER:
                conversation_id = lease_key(str(message["conversation"]))
                self._spawn(self.on_request(conversation_id, str(message["token"])))
            elif (handler := HANDLERS.get(str(message.get("type")))) is not None:
                self._spawn(handler(self, message))

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("hand-over request failed", exc_info=task.exception())


def lease_key(value: str) -> LeaseKey:
    """A lease's key as a hand-over request names it: a group room's `room:<uuid>` as it is,
    else a conversation's UUID."""
    return value if value.startswith("room:") else UUID(value)


def _claim_seconds() -> float:
    """Long enough for a dead owner's lease to expire, or a live one to settle and drain."""
    return settings.CONVERSATION_LEASE_SECONDS + settings.HANDOVER_SETTLE_SECONDS + 5.0


_BY_LOOP: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Ownership] = (
    weakref.WeakKeyDictionary()
)


def current() -> Ownership:
    """This event loop's Ownership (Daphne runs one loop per process; tests one per test)."""
    loop = asyncio.get_running_loop()
    ownership = _BY_LOOP.get(loop)
    if ownership is None:
        ownership = _BY_LOOP[loop] = from_settings()
    return ownership


def from_settings() -> Ownership:
    config: dict[str, Any] = settings.CHANNEL_LAYERS.get("default", {})
    if "redis" not in str(config.get("BACKEND", "")).lower():
        return Ownership(LocalLeases(), None)
    # A layer instance of this loop's own: channels_redis refuses receive() on one instance
    # from two event loops, and tests run one loop per test.
    layer = channel_layers.make_backend("default")
    return Ownership(RedisLeases(_redis_url(config["CONFIG"]["hosts"][0])), layer)


def _redis_url(host: Any) -> str:
    """channels_redis accepts a URL, {"address": URL, ...} or (host, port)."""
    if isinstance(host, str):
        return host
    if isinstance(host, dict):
        return str(host["address"])
    return f"redis://{host[0]}:{host[1]}/0"


def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "CHANNEL_LAYERS":
        _BY_LOOP.clear()


setting_changed.connect(_reset)
