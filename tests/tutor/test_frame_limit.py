"""Frames too large for the server, through a real Daphne (tutor/frame_limit.py): a 2 MB frame
used to end the socket with a bare 1006; it gets the documented `error` event and 4413, like
any other frame over the protocol's limits, and the conversation can go on on a new socket."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.utils import translation
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from accounts.models import User
from lessons.services import conversations as services
from tests.servers import Server, adaphne, server_env
from tests.tutor.test_shutdown import _signed_in, database_url
from tutor.conversation.protocol import CLOSE_TOO_LARGE
from tutor.emulator import Emulator
from tutor.frame_limit import MAX_FRAME_BYTES
from tutor.learner_texts import frame_problem_text

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

TWO_MB = 2 * 1024 * 1024


@pytest.fixture
async def server(emulator: Emulator, tmp_path: Path) -> AsyncIterator[Server]:
    env = server_env(
        database_url=database_url(),
        emulator={"GOOGLE_GEMINI_BASE_URL": emulator.base_url, "SSL_CERT_FILE": emulator.ca_file},
        extra={"TERTULIA_TESTING": "1"},
    )
    async with adaphne(env, log=tmp_path / "daphne.log") as running:
        yield running


async def _refusal(
    server: Server, alice: User, frame: bytes | str, **more_headers: str
) -> tuple[int, list[Any]]:
    """Send `frame` on a fresh conversation socket; the close code and the events before it."""
    conversation = await database_sync_to_async(services.conversation_start)(learner=alice)
    headers = {"Cookie": f"sessionid={await _signed_in(alice)}", "Origin": server.url}
    headers |= more_headers
    url = server.url.replace("http", "ws") + f"/ws/conversations/{conversation.pk}/"
    events = []
    async with connect(url, additional_headers=headers, max_size=None, open_timeout=10) as ws:
        await ws.send(frame)
        try:
            async for message in ws:
                events.append(json.loads(message))
        except ConnectionClosed:
            pass
        assert ws.close_code is not None
        return ws.close_code, events


@pytest.mark.parametrize(
    "frame",
    [bytes(TWO_MB), "x" * TWO_MB, bytes(MAX_FRAME_BYTES + 1)],
    ids=["binary-2MB", "text-2MB", "binary-just-over"],
)
async def test_an_oversize_frame_gets_its_error_and_4413(
    server: Server, alice: User, frame: bytes | str
) -> None:
    code, events = await _refusal(server, alice, frame)
    assert code == CLOSE_TOO_LARGE
    assert [(e["type"], e["code"]) for e in events] == [("error", "bad_frame")]


async def test_a_frame_under_the_servers_limit_is_the_consumers_to_refuse(
    server: Server, alice: User
) -> None:
    """Over the protocol's 4096 characters, under the server's limit: the consumer's 4413."""
    code, events = await _refusal(server, alice, json.dumps({"type": "text", "text": "x" * 9000}))
    assert code == CLOSE_TOO_LARGE
    assert events[-1]["type"] == "error"


async def test_the_oversize_frames_message_is_in_the_browsers_language(
    server: Server, alice: User
) -> None:
    """Refused below Channels (no user yet): the handshake's Accept-Language picks the words;
    the rule it broke goes in `detail`."""
    code, events = await _refusal(server, alice, bytes(TWO_MB), **{"Accept-Language": "de-DE"})
    assert code == CLOSE_TOO_LARGE
    with translation.override("de"):
        german = str(frame_problem_text("too_large"))
    assert german != "That message was too large to send."  # the catalog has it
    assert events[0]["message"] == german
    assert str(MAX_FRAME_BYTES) in events[0]["detail"]  # autobahn's words: the limit it hit
