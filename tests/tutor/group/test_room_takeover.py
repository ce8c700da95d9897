"""A room whose owning process dies is taken over by another from the stored transcript, in
one process as tests/tutor/conversation/test_handover.py does it: a second `Ownership` (its
own lease tokens and hand-over channel on the Redis layer) stands for the other process, and
the first process's death is its runtime stopping dead (no renewal, no hand-over, no more
writes) with its pages' sockets dropped. The real thing, two Daphne processes behind nginx,
is tests/multiprocess/test_group_rooms.py."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from tests.tutor.conftest import SOCKET_TEST, final, kind, spanish_48k
from tests.tutor.group.test_room_socket import Member, _copy, _room
from tutor.channel_layers import redis_layer
from tutor.conversation import ownership
from tutor.conversation.registry import REGISTRY
from tutor.emulator import Emulator
from tutor.group.runtime import GroupRuntime, lease_key

pytestmark = SOCKET_TEST


@pytest.fixture
def shared(redis_url: str) -> Iterator[None]:
    """Several processes: the Redis channel layer, and so leases in Redis."""
    with override_settings(
        CHANNEL_LAYERS={"default": redis_layer(redis_url)}, CONVERSATION_LEASE_SECONDS=2
    ):
        yield


async def _die(runtime: GroupRuntime, pages: list[Member]) -> None:
    """As if its process were killed: its Live session and its pages' sockets go, and nothing
    more comes from it (no lease renewal, no hand-over, no write); its lease stays in Redis
    until it expires."""
    runtime.ended = True  # inert: a dropped socket schedules nothing on it
    del REGISTRY[runtime.id]
    tasks = (runtime._keeper, runtime._pump, runtime._clock, runtime._beat, runtime._grace)
    for task in (*tasks, runtime._limit, *runtime._leaving.values()):
        if task is not None:
            task.cancel()
    await runtime.tutor.close()
    dead = runtime.lease
    assert dead is not None
    dead.owner.forget(dead)  # its hand-over channel stops listening: nobody answers there
    runtime.lease = None
    for page in pages:
        await page.ws.disconnect(code=1006)
    # The pages' next sockets land in another process.
    ownership._BY_LOOP[asyncio.get_running_loop()] = ownership.from_settings()


def _room_lines(page: Member) -> dict[int, tuple[Any, str]]:
    """The room's lines a page was shown, by their number: (speaker's id or None, text)."""
    return {
        e["turn"]: (e["member"]["id"] if e["speaker"] == "learner" else None, e["text"])
        for e in page.events
        if e["type"] == "transcript" and e["final"]
    }


async def _said(page: Member, others: list[Member], text: str) -> dict[str, Any]:
    await page.send(type="text", text=text)
    line = await others[0].until(lambda e: final("learner")(e) and e["text"] == text, within=30)
    for other in others:
        await other.until(lambda e: final("tutor")(e) and e["turn"] > line["turn"], within=30)
    return line


async def _stored(room: Any, user: Any, lines: int) -> list[tuple[str, str, str]]:
    """A member's copy once it holds `lines` learner and peer lines and an answer to each
    (and the greeting): the runtime writes a moment after the pages are shown them."""
    for _ in range(50):
        copy = await _copy(room, user)
        if sum(s != "tutor" for s, _, _ in copy) >= lines and len(copy) >= 2 * lines + 1:
            return copy
        await asyncio.sleep(0.1)
    return copy


@pytest.mark.usefixtures("shared")
async def test_a_room_whose_owner_died_goes_on_from_its_stored_lines(
    emulator: Emulator,
) -> None:
    room, (ana, ben) = await _room(2)
    first = [Member(room, user) for user in (ana, ben)]
    for page in first:
        await page.connect()
        await page.start()
    for page in first:
        await page.until(final("tutor"), within=30)
    await asyncio.sleep(1.0)
    await first[0].say(spanish_48k())  # Ana speaks: talk time the tutor is told of later
    spoken = await first[1].until(final("learner"), within=30)
    await first[1].until(lambda e: final("tutor")(e) and e["turn"] > spoken["turn"], within=30)
    await _said(first[1], first, "Mañana voy a la playa con mis amigos")
    before = {
        user.pk: await _stored(room, user, 2) for user in (ana, ben)
    }  # every line written before the process dies
    shown = _room_lines(first[0])
    old = REGISTRY[room.pk]
    assert isinstance(old, GroupRuntime)
    await _die(old, first)

    # The pages come back, to the other process: it waits out the dead lease, then builds
    # the room from what is stored.
    second = [Member(room, user) for user in (ana, ben)]
    for page in second:
        await page.connect()
        await page.start()
        await page.until(kind("ready"), within=15)
    runtime = REGISTRY[room.pk]
    assert runtime is not old and isinstance(runtime, GroupRuntime)
    assert runtime.lease is not None
    assert await runtime.lease.owner.store.holder(lease_key(room.pk)) == runtime.lease.token
    # The tutor is told Ana has spoken and Ben has not (only typed): shares go on.
    assert runtime.floor.talk_ms.get(ana.pk, 0) > 0 and runtime.floor.talk_ms.get(ben.pk, 0) == 0
    said_least = runtime.instruction().rsplit("Said least so far: ", 1)[1].splitlines()[0]
    assert said_least == "Ben"

    line = await _said(second[0], second, "Yo soy cansado hoy")
    # Numbered after every line the pages were shown: a page that kept its captions places
    # the new one (and its notes) after them, never on an old line of the same number.
    assert line["turn"] > max(shown)
    assert line["member"] == {"id": ana.pk, "name": "Ana"}
    reply = next(e for e in second[1].events if final("tutor")(e) and e["turn"] > line["turn"])
    assert "Ana" in reply["text"]
    new_session = emulator.sessions[-1]
    assert new_session is not emulator.sessions[0]
    assert emulator.sessions[0].closed_at is not None
    assert not [
        e for e in second[0].events if final("tutor")(e) and e["turn"] < line["turn"]
    ]  # no second greeting: the new session goes on from the transcript

    for user in (ana, ben):
        copy = await _stored(room, user, 3)
        assert copy[: len(before[user.pk])] == before[user.pk], user.name  # nothing lost
        learner_lines = [(s, n, t) for s, n, t in copy if s != "tutor"]
        texts = [t for _, _, t in learner_lines]
        assert texts[1:] == ["Mañana voy a la playa con mis amigos", "Yo soy cansado hoy"]
        mine = "" if user == ana else "Ana"
        assert [(s, n) for s, n, _ in learner_lines] == [
            ("learner" if user == ana else "peer", mine),
            ("peer" if user == ana else "learner", "Ben" if user == ana else ""),
            ("learner" if user == ana else "peer", mine),
        ]
        tutor_lines = [t for s, _, t in copy if s == "tutor"]
        assert sum("Hola, Ana y Ben" in t for t in tutor_lines) == 1  # one greeting
        assert len(tutor_lines) == 4  # it, and one answer to each line: none twice
