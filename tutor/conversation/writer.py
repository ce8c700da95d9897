"""An ordered, bounded write queue for one conversation.

Writes run one at a time, in order, off the audio path: the relay never waits for
PostgreSQL. A write that fails because the database is unreachable is retried with backoff
(the conversation is then marked degraded); the queue holds at most `limit` jobs, and when
it is full the oldest job is dropped and counted, so memory stays bounded during an outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from django.db import InterfaceError, OperationalError

from tutor import metrics

logger = logging.getLogger(__name__)

Job = Callable[[], Awaitable[Any]]
# Errors that mean "the database is unreachable right now", worth retrying.
TRANSIENT = (OperationalError, InterfaceError)


class Writer:
    def __init__(
        self,
        *,
        limit: int = 1000,
        retry_delay: float = 0.2,
        max_delay: float = 5.0,
        max_attempts: int = 30,
    ) -> None:
        self.limit = limit
        self.retry_delay = retry_delay
        self.max_delay = max_delay
        self.max_attempts = max_attempts
        self.degraded = False
        self.dropped = 0
        self._jobs: deque[Job] = deque()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None
        metrics.writer_created(self)

    @property
    def pending(self) -> int:
        """Writes waiting, the one running included."""
        return len(self._jobs)

    def submit(self, job: Job) -> None:
        if len(self._jobs) >= self.limit:
            self._jobs.popleft()
            self.dropped += 1
            self.degraded = True
            metrics.WRITES_DROPPED.labels("queue_full").inc()
            logger.error("conversation write queue full; dropped the oldest write")
        self._jobs.append(job)
        self._idle.clear()
        self._wake.set()
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="conversation-writer")

    async def drain(self, within: float = 30.0) -> bool:
        """Wait until every submitted write is done (or given up). False after `within` s."""
        try:
            async with asyncio.timeout(within):
                await self._idle.wait()
        except TimeoutError:
            return False
        return True

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._jobs:
                job = self._jobs[0]
                await self._attempt(job)
                if self._jobs and self._jobs[0] is job:
                    self._jobs.popleft()
            self._idle.set()

    async def _attempt(self, job: Job) -> None:
        delay = self.retry_delay
        for attempt in range(1, self.max_attempts + 1):
            try:
                await job()
                return
            except TRANSIENT as exc:
                self.degraded = True
                metrics.WRITE_RETRIES.inc()
                logger.warning("database write failed (attempt %d): %s", attempt, exc)
                # channels' database_sync_to_async closes the broken connection around
                # each job (close_old_connections), so the next try opens a fresh one.
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_delay)
            except Exception:
                self.degraded = True
                logger.exception("conversation write failed; skipping it")
                return
        self.dropped += 1
        metrics.WRITES_DROPPED.labels("gave_up").inc()
        logger.error("conversation write gave up after %d attempts", self.max_attempts)
