"""The sweep where it runs for real: a Daphne server sweeping as it starts, and a live runtime
whose heartbeat keeps the sweep away from it (lessons/services/sweep.py, tutor/startup.py)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from lessons.models import Conversation
from lessons.services import conversations as services
from lessons.services.sweep import conversations_sweep
from tests.servers import adaphne, server_env
from tests.tutor.conftest import Client, final
from tests.tutor.test_shutdown import database_url
from tutor.conversation.registry import REGISTRY
from tutor.emulator import Emulator

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@database_sync_to_async
def _conversation(learner: User, seen_ago: timedelta) -> Conversation:
    conversation = services.conversation_start(learner=learner)
    services.conversation_record_turn(
        conversation_id=conversation.pk, speaker="tutor", text="¡Hola!"
    )
    then = timezone.now() - seen_ago
    Conversation.objects.filter(pk=conversation.pk).update(
        started_at=then - timedelta(minutes=5), last_activity_at=then
    )
    return conversation


@database_sync_to_async
def _reload(pk: object) -> Conversation:
    return Conversation.objects.get(pk=pk)


async def _until_ended(pk: object, within: float) -> Conversation:
    async with asyncio.timeout(within):
        # Polling the database: the change comes from another process, no event to await.
        while (conversation := await _reload(pk)).status == "active":  # noqa: ASYNC110
            await asyncio.sleep(0.2)
    return conversation


async def test_a_starting_server_ends_what_a_dead_one_left_active(
    alice: User, tmp_path: Path
) -> None:
    dead = await _conversation(alice, seen_ago=timedelta(hours=1))
    alive = await _conversation(alice, seen_ago=timedelta(seconds=5))  # another process's
    env = server_env(
        database_url=database_url(), extra={"TERTULIA_TESTING": "1", "SWEEP_ON_START": "1"}
    )
    async with adaphne(env, log=tmp_path / "daphne.log"):
        done = await _until_ended(dead.pk, within=20)
    assert (done.status, done.end_reason) == ("ended", "interrupted")
    assert done.ended_at == done.last_activity_at
    assert await database_sync_to_async(done.turns.count)() == 1
    assert (await _reload(alive.pk)).status == "active"


async def test_servers_under_test_do_not_sweep_unless_asked(alice: User, tmp_path: Path) -> None:
    """SWEEP_ON_START defaults off under tests, so a test's own stale rows are its business."""
    dead = await _conversation(alice, seen_ago=timedelta(hours=1))
    env = server_env(database_url=database_url(), extra={"TERTULIA_TESTING": "1"})
    async with adaphne(env, log=tmp_path / "daphne.log"):
        await asyncio.sleep(1.0)  # the sweep, were it on, starts before the server answers
    assert (await _reload(dead.pk)).status == "active"


@override_settings(CONVERSATION_HEARTBEAT_SECONDS=1, RECONNECT_GRACE_SECONDS=0)
@override_settings(SWEEP_MARGIN_SECONDS=0)
async def test_a_live_runtimes_heartbeat_keeps_the_sweep_away(
    emulator: Emulator, alice: User
) -> None:
    conversation = await database_sync_to_async(services.conversation_start)(learner=alice)
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await client.start()
    await client.until(final("tutor"))
    # Pretend the last beat was long ago; the runtime must beat again within a second or so.
    old = timezone.now() - timedelta(hours=1)
    await database_sync_to_async(Conversation.objects.filter(pk=conversation.pk).update)(
        last_activity_at=old
    )
    async with asyncio.timeout(10):
        while (await _reload(conversation.pk)).last_activity_at == old:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
    # Another process sweeping now (it does not hold this runtime) leaves it alone.
    report = await database_sync_to_async(conversations_sweep)()
    assert report.ended == []
    assert conversation.pk in REGISTRY
    await client.send(type="end")
    assert (await _until_ended(conversation.pk, within=15)).end_reason != "interrupted"


async def test_a_running_server_ends_abandoned_pages_without_an_operator(
    alice: User, tmp_path: Path
) -> None:
    """Not at start-up: a conversation page opened after the server started and never started
    itself is ended by the server's periodic sweep, as abandoned, with no length."""
    env = server_env(
        database_url=database_url(),
        extra={
            "TERTULIA_TESTING": "1",
            "SWEEP_ON_START": "0",
            "SWEEP_EVERY_SECONDS": "1",
            "RECONNECT_GRACE_SECONDS": "1",
            "SWEEP_MARGIN_SECONDS": "1",
            "CONVERSATION_HEARTBEAT_SECONDS": "1",
        },
    )
    async with adaphne(env, log=tmp_path / "daphne.log"):
        never = await database_sync_to_async(services.conversation_start)(learner=alice)
        done = await _until_ended(never.pk, within=30)
    assert (done.status, done.end_reason) == ("ended", "abandoned")
    assert done.ended_at == done.started_at
