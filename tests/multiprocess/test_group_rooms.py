"""Group rooms behind nginx with two Daphne processes: every member's socket of a room reaches
the same process (the proxy hashes the room's address, as deploy/nginx/tertulia.conf does), so
the room has one runtime and one Live session, and what one member types reaches the others."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from channels.db import database_sync_to_async
from django.test import Client as HttpClient
from websockets.asyncio.client import ClientConnection, connect

from lessons.models import GroupRoom, Turn
from lessons.services import groups as services
from tests.base import make_user
from tests.multiprocess.conftest import cluster

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
]
NAMES = ("Ana", "Ben", "Cruz")


@database_sync_to_async
def _room() -> tuple[GroupRoom, list[tuple[int, str]]]:
    """A room with three members; each member's id and signed-in session cookie."""
    users = [
        make_user(f"{n.lower()}@example.org", display_name=n, target_language="es") for n in NAMES
    ]
    room = services.group_open(creator=users[0], language="es", level="A2")
    members = []
    for user in users:
        services.group_join(room=room, learner=user)
        client = HttpClient()
        client.force_login(user)
        members.append((user.pk, f"sessionid={client.cookies['sessionid'].value}"))
    return room, members


async def _open(base_url: str, room: GroupRoom, cookie: str) -> ClientConnection:
    ws = await connect(
        base_url.replace("http", "ws", 1) + f"/ws/groups/{room.pk}/",
        additional_headers={"Cookie": cookie, "Origin": base_url},
        compression=None,
        open_timeout=60,
        ping_interval=None,
    )
    await ws.send(json.dumps({"type": "start", "sampleRate": 48000, "format": "s16"}))
    return ws


async def _until(ws: ClientConnection, match: Any, within: float = 60) -> dict[str, Any]:
    async with asyncio.timeout(within):
        while True:
            frame = await ws.recv()
            if isinstance(frame, str) and match(event := json.loads(frame)):
                return event


async def test_every_member_of_a_room_reaches_the_process_that_holds_it(
    tmp_path: Path, redis_url: str
) -> None:
    room, members = await _room()
    async with cluster(tmp_path, redis_url) as running:
        sockets = [await _open(running.proxy.url, room, cookie) for _, cookie in members]
        served = {ws.response.headers.get("X-Upstream") for ws in sockets if ws.response}
        assert len(served) == 1 and served <= {running.address(0), running.address(1)}
        # One runtime: the last to come sees all three present.
        await _until(
            sockets[2],
            lambda e: (
                e["type"] == "presence"
                and all(m["present"] for m in e["members"])
                and len(e["members"]) == 3
            ),
        )
        ben_id = members[1][0]
        await sockets[1].send(json.dumps({"type": "text", "text": "Hola, soy Ben y vivo en Lima"}))
        for ws in (sockets[0], sockets[2]):
            line = await _until(
                ws,
                lambda e: (
                    e["type"] == "transcript" and e.get("final") and e["speaker"] == "learner"
                ),
            )
            assert line["member"]["id"] == ben_id
        await _until(
            sockets[0],
            lambda e: (
                e["type"] == "transcript"
                and e.get("final")
                and e["speaker"] == "tutor"
                and "Ben" in e["text"]
            ),
        )
        # One Live session for the room, in the emulator.
        assert len([r for r in running.emulator.sessions if r.opened_at]) == 1
        for ws in sockets:
            await ws.close()
    stored = await database_sync_to_async(
        lambda: list(
            Turn.objects.filter(conversation__group_room=room, speaker="peer").values_list(
                "speaker_name", flat=True
            )
        )
    )()
    assert stored.count("Ben") == 2  # in Ana's copy and in Cruz's


async def test_a_line_typed_over_http_in_the_other_process_reaches_the_rooms_live_session(
    tmp_path: Path, redis_url: str
) -> None:
    """Cruz's WebSockets are blocked: his typed line is posted to the process that does not
    hold the room (plain HTTP is not routed by the room's hash). It crosses to the room's owner
    over the Redis channel layer and is taken by the room's one Live session, named."""
    room, members = await _room()
    async with cluster(tmp_path, redis_url) as running:
        sockets = [await _open(running.proxy.url, room, cookie) for _, cookie in members[:2]]
        served = sockets[0].response.headers.get("X-Upstream") if sockets[0].response else None
        owner = [running.address(0), running.address(1)].index(served)
        await _until(  # the greeting
            sockets[0],
            lambda e: e["type"] == "transcript" and e.get("final") and e["speaker"] == "tutor",
        )
        other = running.workers[1 - owner]
        cruz_id, cruz_cookie = members[2]
        token = "x" * 32  # any well-formed token matching the cookie passes Django's check
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"http://127.0.0.1:{other.port}/groups/{room.pk}/messages/",
                json={"text": "Hola, soy Cruz y vivo en Quito"},
                headers={"Cookie": f"{cruz_cookie}; csrftoken={token}", "X-CSRFToken": token},
            ) as response,
        ):
            assert response.status == 202, await response.text()
            assert await response.json() == {"via": "live"}
        for ws in sockets:
            line = await _until(
                ws,
                lambda e: (
                    e["type"] == "transcript"
                    and e.get("final")
                    and e["speaker"] == "learner"
                    and e["text"] == "Hola, soy Cruz y vivo en Quito"
                ),
            )
            assert line["member"] == {"id": cruz_id, "name": "Cruz"}
        # The room's tutor answers it (whom it thanks is the runtime's business: a typed line
        # does not pass the floor, so the tutor is not told who typed it).
        await _until(
            sockets[0],
            lambda e: e["type"] == "transcript" and e.get("final") and e["speaker"] == "tutor",
        )
        assert len([r for r in running.emulator.sessions if r.opened_at]) == 1
        for ws in sockets:
            await ws.close()
    copies = await database_sync_to_async(
        lambda: list(
            Turn.objects.filter(conversation__group_room=room, text__startswith="Hola, soy Cruz")
            .order_by("speaker")
            .values_list("speaker", "speaker_name")
        )
    )()
    assert copies == [("learner", ""), ("peer", "Cruz"), ("peer", "Cruz")]  # once in each copy
