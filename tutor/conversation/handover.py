"""A runtime's lease: keeping it, and handing the conversation to another process.

A mixin of `tutor.conversation.runtime.ConversationRuntime`. The runtime holds its
conversation's lease (`tutor.conversation.ownership`) from the moment it is built and renews
it every third of its life. It lets go in one of three ways:

- `finish`: the conversation ends here; the lease is released last.
- `hand_over`: another process asked for it (the page reconnected there) or this one is
  shutting down. The turn in flight may finish (`HANDOVER_SETTLE_SECONDS`), then the Live
  session is closed, every pending write is drained, the resumption handle (if it covers every
  stored turn) and the figures so far are stored, and only then is the lease released: the
  next owner reads a whole transcript and resumes a session nobody else holds.
- lost: a renewal found another token holding the lease (this process stalled past its
  expiry). The Live session is closed at once; nothing more is written or released.

The lease is renewed until the very end of finishing or handing over (writes may be waiting on
the database), so nobody takes the conversation over before its transcript is complete.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from channels.db import database_sync_to_async
from django.conf import settings

from lessons.services import handover as services
from tutor.conversation import protocol
from tutor.conversation.ownership import Lease
from tutor.conversation.registry import REGISTRY
from tutor.conversation.stats import SpeechStats
from tutor.conversation.writer import Writer
from tutor.live.session import LiveTutor

logger = logging.getLogger(__name__)


class Handover:
    """Lease keeping and hand-over; the attributes are `ConversationRuntime`'s."""

    id: UUID
    tutor: LiveTutor
    writer: Writer
    stats: SpeechStats
    sink: Any
    ended: bool
    lease: Lease | None
    _keeper: asyncio.Task[None] | None
    _finishing: asyncio.Lock
    _pump: asyncio.Task[None] | None
    _turn_seq: int
    _grace: asyncio.Task[None] | None
    _limit: asyncio.Task[None] | None
    _beat: asyncio.Task[None] | None
    _spawn: Callable[[Awaitable[Any]], None]

    def own(self, lease: Lease) -> None:
        """Hold `lease` from now on: renew it, and answer hand-over requests naming it."""
        self.lease = lease
        lease.holder = self
        self._keeper = asyncio.create_task(self._keep_lease(), name=f"lease-{self.id}")

    async def _keep_lease(self) -> None:
        # Until `_let_go`, not just until the end: finishing or handing over may wait on the
        # database, and the next owner must not read the transcript before that is done.
        interval = settings.CONVERSATION_LEASE_SECONDS / 3
        while self.lease is not None:
            await asyncio.sleep(interval)
            if self.lease is not None and not await self.lease.renew():
                logger.warning("conversation %s: another process holds it now", self.id)
                self._spawn(self.hand_over(close_code=protocol.CLOSE_MOVED, lost=True))
                return

    async def hand_over(self, *, close_code: int | None, lost: bool = False) -> None:
        """Let another process carry the conversation on (see the module's docstring).
        `close_code`: what the page's socket, if any, is closed with."""
        async with self._finishing:
            if self.ended:
                return
            self.ended = True
            began = time.monotonic()
            self._stop_timers()
            sink, self.sink = self.sink, None
            if lost:
                await self._drop_everything(sink, close_code)
                return
            await _close(sink, close_code)  # the page reconnects while this one lets go
            await self.tutor.settle(settings.HANDOVER_SETTLE_SECONDS)
            handle = self.tutor.resumable_handle()
            await self._stop_tutor()
            await self._store_for_next(handle)
            await self.writer.close()
            await self._let_go()
            logger.info(
                "conversation %s handed over in %.3f s (resumable: %s)",
                self.id,
                time.monotonic() - began,
                bool(handle),
            )

    async def _drop_everything(self, sink: Any, close_code: int | None) -> None:
        """The lease is someone else's: close the Live session at once (theirs may be open)
        and write nothing more. Lines not yet written are dropped: the new owner numbered
        its turns from what was stored, and a late write here could take one's place."""
        await self.tutor.close()
        if self._pump is not None:
            self._pump.cancel()
        await self.writer.close()
        await self._let_go(release=False)
        await _close(sink, close_code)

    async def _store_for_next(self, handle: str | None) -> None:
        stats = self.stats.finish_stats(
            reconnects=self.tutor.reconnects, degraded=self.writer.degraded
        )
        try:
            await database_sync_to_async(services.conversation_hand_over)(
                conversation_id=self.id, handle=handle, handle_turns=self._turn_seq, stats=stats
            )
        except Exception:  # the next owner starts fresh from the transcript instead
            logger.exception("conversation %s: hand-over state not stored", self.id)

    def _stop_timers(self) -> None:
        current = asyncio.current_task()
        for task in (self._grace, self._limit, self._beat):  # the lease's keeper: `_let_go`
            if task is not None and task is not current:
                task.cancel()

    async def _stop_tutor(self) -> None:
        """In-flight lines become final (interrupted) events; closing the tutor then ends its
        event stream, so the pump persists them before it stops; then every write is done."""
        self.tutor.flush()
        await self.tutor.close()
        if self._pump is not None and self._pump is not asyncio.current_task():
            try:
                async with asyncio.timeout(5.0):
                    await asyncio.shield(self._pump)
            except (TimeoutError, asyncio.CancelledError):
                self._pump.cancel()
        await self.writer.drain()

    async def _let_go(self, *, release: bool = True) -> None:
        """The last step of finishing or handing over: out of the registry, lease released."""
        if REGISTRY.get(self.id) is self:
            del REGISTRY[self.id]
        if self._keeper is not None and self._keeper is not asyncio.current_task():
            self._keeper.cancel()
        lease, self.lease = self.lease, None
        if lease is None:
            return
        if release:
            await lease.release()
        else:
            lease.owner.forget(lease)


async def _close(sink: Any, code: int | None) -> None:
    if sink is None or code is None:
        return
    try:
        await sink.close_with(code)
    except Exception:  # the socket is gone already: nothing to tell
        logger.info("socket already closed")
