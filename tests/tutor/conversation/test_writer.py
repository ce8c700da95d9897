"""tutor.conversation.writer: the ordered, bounded write queue of a conversation (PostgreSQL).

Two promises from its docstring: when the queue is full the oldest queued write is dropped and
counted (and the conversation marked degraded), and a write that keeps failing because the
database is unreachable is retried with backoff, then given up so the writes after it still
run. A database outage is simulated at the edge only: the write callable raises
OperationalError, as psycopg does when the server is gone.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import OperationalError, connections
from django.utils import timezone

from accounts.models import User
from lessons.models import Conversation, Turn
from lessons.services import conversations as services
from tutor.conversation.runtime import ConversationRuntime
from tutor.conversation.writer import Writer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture(autouse=True)
async def close_thread_connections() -> AsyncIterator[None]:
    """database_sync_to_async writes from its own thread; close that connection afterwards."""
    yield
    await database_sync_to_async(connections.close_all)()


@pytest.fixture
async def conversation(alice: User) -> Conversation:
    return await database_sync_to_async(services.conversation_start)(learner=alice)


def _turn_job(conversation: Conversation, ordinal: int, ran: list[int]) -> Callable[[], Any]:
    """A write as the runtime submits it: one Turn row, through channels' database thread."""

    async def job() -> None:
        ran.append(ordinal)
        await database_sync_to_async(services.conversation_record_turn)(
            conversation_id=conversation.pk, ordinal=ordinal, speaker="learner", text=f"t{ordinal}"
        )

    return job


@database_sync_to_async
def _stored(conversation: Conversation) -> list[tuple[int, str]]:
    return list(
        Turn.objects.filter(conversation=conversation)
        .order_by("ordinal")
        .values_list("ordinal", "text")
    )


def _database_gone() -> None:
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


# -- overflow -----------------------------------------------------------------------------


async def test_a_full_queue_drops_the_oldest_queued_writes_and_counts_them(
    conversation: Conversation, caplog: pytest.LogCaptureFixture
) -> None:
    writer, ran = Writer(limit=3), []
    for ordinal in range(5):  # no await in between: the writer task has not run yet
        writer.submit(_turn_job(conversation, ordinal, ran))
    assert (writer.dropped, writer.degraded) == (2, True)
    assert caplog.text.count("write queue full; dropped the oldest write") == 2
    assert await writer.drain(within=10)
    assert ran == [2, 3, 4]  # the newest `limit` writes, in submission order
    assert await _stored(conversation) == [(2, "t2"), (3, "t3"), (4, "t4")]
    await writer.close()


async def test_below_the_limit_nothing_is_dropped(conversation: Conversation) -> None:
    writer, ran = Writer(limit=3), []
    for ordinal in range(3):
        writer.submit(_turn_job(conversation, ordinal, ran))
    assert await writer.drain(within=10)
    assert (writer.dropped, writer.degraded, ran) == (0, False, [0, 1, 2])
    await writer.close()


async def test_overflow_during_a_running_write_skips_no_other_write() -> None:
    """The oldest job may be the one running: it is counted as dropped (it was already under
    way and completes), and every write queued behind it still runs exactly once, in order."""
    writer, ran = Writer(limit=2), []
    gate, running = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        running.set()
        await gate.wait()
        ran.append("first")

    def job(name: str) -> Callable[[], Any]:
        async def run() -> None:
            ran.append(name)

        return run

    writer.submit(first)
    await asyncio.wait_for(running.wait(), 5)
    writer.submit(job("second"))
    writer.submit(job("third"))  # full: the running `first` leaves the queue
    assert writer.dropped == 1
    gate.set()
    assert await writer.drain(within=5)
    assert ran == ["first", "second", "third"]
    await writer.close()


# -- retries and giving up ----------------------------------------------------------------


async def test_a_write_that_keeps_failing_is_given_up_after_backoff_and_the_next_one_runs(
    conversation: Conversation, caplog: pytest.LogCaptureFixture
) -> None:
    writer, ran = Writer(retry_delay=0.05, max_delay=0.1, max_attempts=4), []
    attempts: list[float] = []

    async def outage() -> None:
        attempts.append(time.monotonic())
        await database_sync_to_async(_database_gone)()

    writer.submit(outage)
    writer.submit(_turn_job(conversation, 0, ran))
    assert await writer.drain(within=10)
    assert len(attempts) == 4  # max_attempts, then no more
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    # It waits between attempts, the wait doubling up to max_delay (a little slack for the clock).
    assert gaps[0] >= 0.045 and gaps[1] >= 0.095 and gaps[2] >= 0.095
    assert (writer.dropped, writer.degraded) == (1, True)
    assert caplog.text.count("database write failed (attempt") == 4
    assert "conversation write gave up after 4 attempts" in caplog.text
    assert ran == [0] and await _stored(conversation) == [(0, "t0")]  # the queue moved on
    await writer.close()


async def test_a_transient_failure_is_retried_until_the_write_lands_once(
    conversation: Conversation,
) -> None:
    writer, tries = Writer(retry_delay=0.01, max_attempts=5), []

    def flaky_record_turn(**fields: Any) -> None:
        tries.append(1)
        if len(tries) < 3:
            _database_gone()
        services.conversation_record_turn(**fields)

    async def job() -> None:
        await database_sync_to_async(flaky_record_turn)(
            conversation_id=conversation.pk, ordinal=0, speaker="learner", text="t0"
        )

    writer.submit(job)
    assert await writer.drain(within=10)
    assert len(tries) == 3
    assert (writer.dropped, writer.degraded) == (0, True)
    assert await _stored(conversation) == [(0, "t0")]
    await writer.close()


async def test_a_write_that_fails_for_another_reason_is_skipped_without_retrying(
    conversation: Conversation, caplog: pytest.LogCaptureFixture
) -> None:
    writer, ran, tries = Writer(retry_delay=0.01), [], []

    async def broken() -> None:
        tries.append(1)
        raise ValueError("a bug, not an outage")

    writer.submit(broken)
    writer.submit(_turn_job(conversation, 0, ran))
    assert await writer.drain(within=10)
    assert len(tries) == 1
    assert (writer.dropped, writer.degraded) == (0, True)
    assert "conversation write failed; skipping it" in caplog.text
    assert await _stored(conversation) == [(0, "t0")]
    await writer.close()


# -- what the conversation records ----------------------------------------------------------


class _IdleTutor:
    """What ConversationRuntime.finish needs of a LiveTutor that was never started."""

    reconnects = 0

    def flush(self) -> None:
        pass

    async def close(self) -> None:
        pass


def _runtime(conversation: Conversation, writer: Writer) -> ConversationRuntime:
    runtime = ConversationRuntime(
        conversation_id=conversation.pk,
        started_at=timezone.now(),
        trial=False,
        first_activity_at=None,
        tutor=_IdleTutor(),  # type: ignore[arg-type]
    )
    runtime.writer = writer
    return runtime


def _persist_line(runtime: ConversationRuntime, ordinal: int, text: str) -> None:
    """A learner line queued on the runtime's writer, as the runtime queues its writes."""
    runtime._persist(
        services.conversation_record_turn,
        conversation_id=runtime.id,
        ordinal=ordinal,
        speaker="learner",
        text=text,
    )


@database_sync_to_async
def _finished(conversation: Conversation) -> Conversation:
    return Conversation.objects.get(pk=conversation.pk)


async def test_a_given_up_write_leaves_the_conversation_marked_degraded(
    conversation: Conversation,
) -> None:
    runtime = _runtime(conversation, Writer(retry_delay=0.01, max_attempts=2))
    runtime._persist(_database_gone)
    _persist_line(runtime, 0, "después")
    await runtime.finish("learner_ended")
    done = await _finished(conversation)
    assert (done.status, done.end_reason, done.degraded) == ("ended", "learner_ended", True)
    assert runtime.writer.dropped == 1
    assert await _stored(conversation) == [(0, "después")]


async def test_an_overflowing_queue_leaves_the_conversation_marked_degraded(
    conversation: Conversation,
) -> None:
    runtime = _runtime(conversation, Writer(limit=2))
    for ordinal in range(4):
        _persist_line(runtime, ordinal, f"t{ordinal}")
    await runtime.finish("learner_ended")
    done = await _finished(conversation)
    assert (done.status, done.degraded) == ("ended", True)
    assert await _stored(conversation) == [(2, "t2"), (3, "t3")]


async def test_a_clean_conversation_is_not_marked_degraded(conversation: Conversation) -> None:
    runtime = _runtime(conversation, Writer())
    _persist_line(runtime, 0, "t0")
    await runtime.finish("learner_ended")
    done = await _finished(conversation)
    assert (done.status, done.degraded) == ("ended", False)
    assert await _stored(conversation) == [(0, "t0")]
