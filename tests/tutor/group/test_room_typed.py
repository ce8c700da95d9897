"""A group room's typed fallback (tutor/group/typed.py, tutor/group/relay.py and
lessons:group_lines): a member whose WebSockets are blocked types into the room over HTTP and
reads it by polling. Against the emulator behind the real SDK, real PostgreSQL and the Redis
channel layer: with the room live (a member on the socket) the line goes to the room's one
Live session; with nobody live the text tutor answers under the room's lease."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.test import AsyncClient, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from lessons.models import Conversation, GroupRoom
from lessons.services import groups as services
from tests.base import make_user
from tests.tutor.conftest import SOCKET_TEST, final
from tests.tutor.group.test_room_socket import Member, _copy, _copy_of, _room
from tests.tutor.test_typed_fallback_bound import closed_port
from tutor.conversation import ownership
from tutor.emulator import Emulator
from tutor.group.runtime import lease_key
from tutor.live import upstream

pytestmark = SOCKET_TEST


async def _signed_in(user: User, **kwargs: Any) -> AsyncClient:
    client = AsyncClient(**kwargs)
    await client.aforce_login(user)
    return client


async def _type(client: AsyncClient, room: GroupRoom, text: str) -> Any:
    url = reverse("tutor:group_message", args=[room.pk])
    return await client.post(url, {"text": text}, content_type="application/json")


async def _read(client: AsyncClient, room: GroupRoom, **positions: int) -> Any:
    return await client.get(reverse("lessons:group_lines", args=[room.pk]), positions)


async def test_with_nobody_live_the_text_tutor_answers_into_every_copy(
    emulator: Emulator,
) -> None:
    room, (ana, ben) = await _room(2)
    client = await _signed_in(ana)
    response = await _type(client, room, "Yo soy cansado hoy")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["via"] == "text"
    reply = body["tutor"]["text"]
    # Every copy has the line, named, and the one answer; Ana's line is hers alone.
    assert await _copy(room, ana) == [
        ("learner", "", "Yo soy cansado hoy"),
        ("tutor", "", reply),
    ]
    assert await _copy(room, ben) == [
        ("peer", "Ana", "Yo soy cansado hoy"),
        ("tutor", "", reply),
    ]
    assert len(emulator.sessions) == 0  # no Live session was opened for it
    # The room's lease was taken for the answer only.
    assert await ownership.current().holder(lease_key(room.pk)) is None
    # Ana reads her copy, with her correction; Ben reads Ana's line by name, no correction.
    mine = (await _read(client, room)).json()
    assert [(line["speaker"], line["text"]) for line in mine["lines"]] == [
        ("learner", "Yo soy cansado hoy"),
        ("tutor", reply),
    ]
    assert [c["corrected"] for c in mine["corrections"]] == ["Yo estoy cansado hoy"]
    assert mine["corrections"][0]["turn"] == body["learner"]["turn"]
    theirs = (await _read(await _signed_in(ben), room)).json()
    assert [(line["speaker"], line["name"]) for line in theirs["lines"]] == [
        ("peer", "Ana"),
        ("tutor", ""),
    ]
    assert theirs["corrections"] == [] and theirs["open"] is True
    # Reading on from a position gives only what came after it.
    first = mine["lines"][0]["turn"]
    later = (await _read(client, room, after=first, c=mine["corrections"][0]["id"])).json()
    assert [line["turn"] for line in later["lines"]] == [first + 1]
    assert later["corrections"] == []


async def test_two_members_typing_at_once_get_one_tutor_at_a_time(emulator: Emulator) -> None:
    """Each typed answer holds the room's lease: the second waits for the first, so the
    lines and answers never interleave in a copy."""
    room, (ana, ben) = await _room(2)
    clients = [await _signed_in(ana), await _signed_in(ben)]
    sent = await asyncio.gather(
        _type(clients[0], room, "Hola, me llamo Ana"), _type(clients[1], room, "Hola, soy Ben")
    )
    assert [r.status_code for r in sent] == [200, 200]
    copy = await _copy(room, ana)
    assert [speaker for speaker, _, _ in copy] in (
        ["learner", "tutor", "peer", "tutor"],
        ["peer", "tutor", "learner", "tutor"],
    )
    assert [(s, t) for s, _, t in await _copy(room, ben)] == [
        ("peer" if s == "learner" else "learner" if s == "peer" else s, t) for s, _, t in copy
    ]


@pytest.fixture(params=["redis", "memory"])
def layer(request: pytest.FixtureRequest) -> Iterator[str]:
    """The Redis channel layer (several processes), or none (`make run` without Redis: one
    process, leases in its memory)."""
    if request.param == "redis":
        yield request.param
        return
    memory = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    with override_settings(CHANNEL_LAYERS=memory):
        yield request.param


async def test_with_the_room_live_a_typed_line_goes_to_its_live_session(
    emulator: Emulator, layer: str
) -> None:
    """Ben talks on the socket; Ana, blocked, types over HTTP. Her line reaches the room's
    runtime through the channel layer (as a line typed on her socket would), is written once
    into each copy with her name, and the Live tutor answers it in the room."""
    assert (ownership.current().layer is None) == (layer == "memory")
    room, (ana, ben) = await _room(2)
    page = Member(room, ben)
    await page.connect()
    await page.start()
    await page.until(final("tutor"), within=30)  # the greeting
    client = await _signed_in(ana)
    response = await _type(client, room, "Yo soy cansado hoy")
    assert response.status_code == 202, response.content
    assert response.json() == {"via": "live"}
    line = await page.until(lambda e: final("learner")(e) and e["text"] == "Yo soy cansado hoy")
    assert line["member"] == {"id": ana.pk, "name": "Ana"}
    answer = await page.until(lambda e: final("tutor")(e) and e["turn"] > line["turn"], within=30)
    assert len(emulator.sessions) == 1  # the room's one Live session, no second tutor
    copy = await _copy_of(room, ben, 1)
    assert ("peer", "Ana", "Yo soy cansado hoy") in copy
    for _ in range(50):  # the runtime writes off the socket's path
        ana_copy = await _copy(room, ana)
        if any(t == answer["text"] for _, _, t in ana_copy):
            break
        await asyncio.sleep(0.1)
    assert [t for s, _, t in ana_copy if s == "learner"] == ["Yo soy cansado hoy"]
    assert answer["text"] in [t for s, _, t in ana_copy if s == "tutor"]
    # The correction is on Ana's own line, in her copy, and she reads it; Ben's page did not
    # get it (notes go to the speaker's page only, and Ana has none).
    for _ in range(50):
        mine = (await _read(client, room)).json()
        if mine["corrections"]:
            break
        await asyncio.sleep(0.1)
    assert [c["corrected"] for c in mine["corrections"]] == ["Yo estoy cansado hoy"]
    assert not any(e["type"] == "correction" for e in page.events)
    said = [(line["speaker"], line["name"], line["text"]) for line in mine["lines"]]
    assert ("learner", "", "Yo soy cansado hoy") in said


async def test_who_may_type_and_read(emulator: Emulator) -> None:
    room, (ana, ben) = await _room(2)
    # Opened by someone who is not in it: they may see the room, not type or read in it.
    opener = await database_sync_to_async(make_user)(
        "opener@example.org", display_name="Olga", target_language="es"
    )
    owned = await database_sync_to_async(services.group_open)(
        creator=opener, language="es", level="A2"
    )
    await database_sync_to_async(services.group_join)(room=owned, learner=ana)
    stranger = await database_sync_to_async(make_user)(
        "stranger@example.org", display_name="Sol", target_language="es"
    )
    anonymous = AsyncClient()
    assert (await _type(anonymous, room, "Hola")).status_code == 401
    assert (await _read(anonymous, room)).status_code == 401
    outsider = await _signed_in(stranger)
    assert (await _type(outsider, room, "Hola")).status_code == 404
    assert (await _read(outsider, room)).status_code == 404
    creator = await _signed_in(opener)
    assert (await _type(creator, owned, "Hola")).status_code == 403
    assert (await _read(creator, owned)).status_code == 403
    # CSRF as on every form: the page sends the token.
    strict = await _signed_in(ana, enforce_csrf_checks=True)
    assert (await _type(strict, room, "Hola")).status_code == 403
    member = await _signed_in(ana)
    refused = await _type(member, room, "")
    assert refused.status_code == 400 and refused.json()["error"] == "bad_request"
    assert (await _type(member, room, "x" * 1001)).status_code == 400
    assert await _copy(room, ana) == []
    # A member who had left is back in by typing, as by connecting; so is one whose copy the
    # sweep ended while nobody was live (no runtime beats the copies of a text-only room).
    ben_client = await _signed_in(ben)
    await database_sync_to_async(services.group_leave)(room_id=room.pk, learner_id=ben.pk)
    assert (await _type(ben_client, room, "Hola a todos")).status_code == 200
    back = await database_sync_to_async(lambda: room.members.get(learner=ben))()
    assert back.left_at is None
    swept = Conversation.objects.filter(group_member__room=room, learner=ben)
    await swept.aupdate(status=Conversation.Status.ENDED, ended_at=timezone.now())
    assert (await _type(ben_client, room, "¿Qué tal?")).status_code == 200
    assert (await swept.aget()).status == Conversation.Status.ACTIVE
    # An ended room: 410, and the reader is told it is over.
    await database_sync_to_async(services.group_end)(room_id=room.pk, reason="ended by host")
    gone = await _type(member, room, "Hola")
    assert gone.status_code == 410
    assert gone.json()["message"] == "This group conversation has ended."
    assert (await _read(member, room)).json()["open"] is False


@pytest.mark.usefixtures("no_runtime_leaks")
async def test_a_failed_answer_keeps_the_line_and_says_so() -> None:
    room, (ana, ben) = await _room(2)
    client = await _signed_in(ana)
    url = f"https://127.0.0.1:{closed_port()}"  # Gemini unreachable
    with override_settings(GOOGLE_GEMINI_BASE_URL=url, GEMINI_CA_FILE=""):
        upstream.client.cache_clear()
        try:
            response = await _type(client, room, "Hola")
        finally:
            upstream.client.cache_clear()
    assert response.status_code == 503
    body = response.json()
    assert body["message"].startswith("The tutor cannot answer right now")
    assert body["learnerTurn"] == 0  # its ordinal in Ana's copy
    assert await _copy(room, ben) == [("peer", "Ana", "Hola")]
    assert await ownership.current().holder(lease_key(room.pk)) is None


async def test_a_member_typing_over_http_keeps_a_room_without_sockets(emulator: Emulator) -> None:
    """Ben talked on his socket, then his network dropped for good; Ana, blocked, goes on
    typing. The room is not abandoned under her while she types (each line reaches the same
    Live session), only a whole grace after her last line with no socket either."""
    grace = 2
    with override_settings(RECONNECT_GRACE_SECONDS=grace):
        room, (ana, ben) = await _room(2)
        page = Member(room, ben)
        await page.connect()
        await page.start()
        await page.until(final("tutor"), within=30)  # the greeting: the Live session runs
        await page.ws.disconnect(code=1006)
        client = await _signed_in(ana)
        loop = asyncio.get_running_loop()
        typing_until = loop.time() + 2.5 * grace
        lines = 0
        while loop.time() < typing_until:
            response = await _type(client, room, f"Hoy es el día {lines + 1}")
            assert response.status_code == 202, (lines, response.content)
            assert response.json() == {"via": "live"}
            lines += 1
            await asyncio.sleep(grace / 2)
        assert len(emulator.sessions) == 1  # the same Live session all along
        status = await database_sync_to_async(lambda: GroupRoom.objects.get(pk=room.pk).status)()
        assert status == GroupRoom.Status.OPEN
        for _ in range(10 * (grace + 5)):  # now nobody: abandoned after the grace
            await asyncio.sleep(0.1)
            room = await database_sync_to_async(GroupRoom.objects.get)(pk=room.pk)
            if room.status != GroupRoom.Status.OPEN:
                break
        assert room.status == GroupRoom.Status.ENDED
        copy = await _copy(room, ana)
        typed = [t for s, _, t in copy if s == "learner"]
        assert typed == [f"Hoy es el día {n + 1}" for n in range(lines)]
