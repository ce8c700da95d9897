"""A room page connects as it opens, listening (`start` with `"listen": true`, no microphone):
its member is present and sees the floor and every line with its speaker's name, the room's
tutor is not started for it, and Talk declares the microphone's format on the same socket."""

from __future__ import annotations

import asyncio
from typing import Any

from channels.db import database_sync_to_async

from lessons.models import GroupMember, GroupRoom
from tests.tutor.conftest import SOCKET_TEST, final, kind, spanish_48k
from tests.tutor.group.test_room_socket import Member, _copy_of, _room
from tutor.conversation import ownership
from tutor.conversation.registry import REGISTRY
from tutor.emulator import Emulator
from tutor.group.runtime import lease_key

pytestmark = SOCKET_TEST


async def _listening(room: GroupRoom, user: Any, rate: int = 48000) -> Member:
    page = Member(room, user)
    await page.connect()
    await page.send(type="start", sampleRate=rate, format="s16", listen=True)
    ready = await page.until(kind("ready"))
    assert ready["listening"] is True
    return page


def _present(page: Member) -> set[str]:
    presence = [e for e in page.events if e["type"] == "presence"][-1]
    return {m["name"] for m in presence["members"] if m["present"]}


async def test_a_listener_is_present_and_sees_every_line_named(emulator: Emulator) -> None:
    room, (ana, ben, cruz) = await _room(3)
    listener = await _listening(room, cruz)
    await listener.until(lambda e: e["type"] == "floor" and e["holder"] is None)
    assert _present(listener) == {"Cruz"}
    await asyncio.sleep(0.5)
    assert emulator.sessions == []  # nobody talks yet: no Live session for a listener
    talker = Member(room, ana)
    await talker.connect()
    await talker.start()
    await talker.until(final("tutor"), within=30)
    await listener.until(lambda e: e["type"] == "presence" and _present(listener) >= {"Ana"})
    await talker.send(type="text", text="Hola, yo vivo en Madrid")
    line = await listener.until(final("learner"), within=30)
    assert (line["text"], line["member"]) == (
        "Hola, yo vivo en Madrid",
        {"id": ana.pk, "name": "Ana"},
    )
    await listener.until(lambda e: final("tutor")(e) and e["turn"] > line["turn"], within=30)
    # Once each: a listening page's captions are the room's lines, no more, no fewer.
    turns = [e["turn"] for e in listener.events if e["type"] == "transcript" and e["final"]]
    assert turns == sorted(set(turns))
    await talker.until(lambda e: final("tutor")(e) and e["turn"] > line["turn"], within=30)
    assert [e["turn"] for e in talker.events if final("learner")(e)] == [line["turn"]]
    assert len(emulator.sessions) == 1
    # The listener is in the room for the others too, and stays in its record.
    assert _present(talker) == {"Ana", "Cruz"}
    present = await database_sync_to_async(
        lambda: set(
            GroupMember.objects.filter(room=room, left_at__isnull=True).values_list(
                "learner__display_name", flat=True
            )
        )
    )()
    assert present == {"Ana", "Ben", "Cruz"}  # Ben has joined and not left; nobody has left
    # The listener's own copy has the line, as a peer's.
    copy = await _copy_of(room, cruz, 1)
    assert ("peer", "Ana", "Hola, yo vivo en Madrid") in copy
    assert ben  # (Ben never opened the page)


async def test_talk_declares_the_microphones_rate_on_the_listening_socket(
    emulator: Emulator,
) -> None:
    """The page listened at 16 kHz; its microphone turns out to run at 48 kHz: the same socket
    takes the new `start`, the tutor starts, and the member's speech is theirs."""
    room, (ana, ben) = await _room(2)
    page = await _listening(room, ana, rate=16000)
    other = await _listening(room, ben)
    await page.start(48000)  # Talk: the microphone's format, not listening
    ready = await page.until(lambda e: e["type"] == "ready" and not e["listening"])
    assert ready["codec"] == "pcm"
    await page.until(final("tutor"), within=30)  # the tutor started and greets the room
    await asyncio.sleep(1.0)
    await page.say(spanish_48k())
    line = await other.until(final("learner"), within=30)
    assert line["member"] == {"id": ana.pk, "name": "Ana"}
    assert page.close_code is None


async def test_a_room_nobody_talked_in_is_let_go_not_ended(start_emulator: Any) -> None:
    """Pages that only listened and went away: after the grace the process lets the room go
    (its lease released, its members away), and the room is still open for the next visit."""
    emulator = await start_emulator(RECONNECT_GRACE_SECONDS=0.5)
    room, (ana, ben) = await _room(2)
    pages = [await _listening(room, ana), await _listening(room, ben)]
    runtime = REGISTRY[room.pk]
    for page in pages:
        await page.disconnect()
    for _ in range(50):
        if REGISTRY.get(room.pk) is None:
            break
        await asyncio.sleep(0.1)
    assert REGISTRY.get(room.pk) is None and runtime.ended
    assert await ownership.current().store.holder(lease_key(room.pk)) is None
    fresh = await database_sync_to_async(GroupRoom.objects.get)(pk=room.pk)
    assert fresh.status == GroupRoom.Status.OPEN
    left = await database_sync_to_async(
        lambda: list(GroupMember.objects.filter(room=room).values_list("left_at", flat=True))
    )()
    assert all(at is not None for at in left)
    assert emulator.sessions == []
    back = await _listening(room, ana)  # a new visit builds the room again
    assert _present(back) == {"Ana"}
    await back.start()
    await back.until(final("tutor"), within=30)
    assert len(emulator.sessions) == 1


async def test_listen_belongs_to_start_only(emulator: Emulator) -> None:
    room, (ana, _ben) = await _room(2)
    page = Member(room, ana)
    await page.connect()
    await page.send(type="ping", listen=True)
    assert await page.closed() == 4400
