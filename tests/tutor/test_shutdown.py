"""Daphne stopped with SIGTERM mid-conversation: every line said so far is stored, the one being
spoken included (marked interrupted), and the conversation is finished, not left dangling.

This is a process alone (no Redis, so no other process to hand the conversation to); with
several processes SIGTERM hands conversations over instead (tests/multiprocess/)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.test import Client as HttpClient
from websockets.asyncio.client import connect

from accounts.models import User
from lessons.models import Conversation, Turn
from lessons.services import conversations as services
from tests.servers import adaphne, server_env
from tests.subprocess_db import database_url
from tutor.emulator import Emulator

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@contextlib.asynccontextmanager
async def _explained(log: Path) -> AsyncIterator[None]:
    """On failure, show what the server said: it runs in another process."""
    try:
        yield
    except Exception as exc:
        tail = await asyncio.to_thread(log.read_text)
        raise AssertionError(f"{exc!r}; daphne log:\n{tail[-3000:]}") from exc


@database_sync_to_async
def _signed_in(user: User) -> str:
    client = HttpClient()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def _read_until(ws: Any, match: Any) -> dict[str, Any]:
    async with asyncio.timeout(30):
        async for frame in ws:
            if isinstance(frame, str) and match(event := json.loads(frame)):
                return event
    raise AssertionError("socket closed")


@database_sync_to_async
def _stored(conversation: Conversation) -> tuple[Conversation, list[tuple[int, str, str, bool]]]:
    turns = Turn.objects.filter(conversation=conversation).order_by("ordinal")
    fresh = Conversation.objects.get(pk=conversation.pk)
    return fresh, list(turns.values_list("ordinal", "speaker", "source", "interrupted"))


async def test_sigterm_mid_turn_stores_everything_and_finishes(
    realtime_emulator: Emulator, alice: User, tmp_path: Path
) -> None:
    conversation = await database_sync_to_async(services.conversation_start)(learner=alice)
    cookie = await _signed_in(alice)
    env = server_env(
        database_url=database_url(),
        emulator={
            "GOOGLE_GEMINI_BASE_URL": realtime_emulator.base_url,
            "SSL_CERT_FILE": realtime_emulator.ca_file,
        },
        extra={"TERTULIA_TESTING": "1", "REDIS_URL": ""},  # alone: nowhere to hand over
    )
    async with adaphne(env, log=tmp_path / "daphne.log") as server:
        url, proc = server.url, server.proc
        ws_url = url.replace("http", "ws") + f"/ws/conversations/{conversation.pk}/"
        headers = {"Cookie": f"sessionid={cookie}", "Origin": url}
        async with (
            _explained(tmp_path / "daphne.log"),
            connect(ws_url, additional_headers=headers) as ws,
        ):
            await ws.send(json.dumps({"type": "start", "sampleRate": 48000, "format": "s16"}))
            await _read_until(ws, lambda e: e["type"] == "transcript" and e["final"])
            await ws.send(json.dumps({"type": "text", "text": "Yo soy cansado hoy"}))
            # The tutor has started to answer (in real time): stop the server now.
            await _read_until(
                ws,
                lambda e: e["type"] == "transcript" and e["speaker"] == "tutor" and not e["final"],
            )
            proc.send_signal(signal.SIGTERM)
            await asyncio.to_thread(proc.wait, 30)
    await database_sync_to_async(connections.close_all)()
    done, turns = await _stored(conversation)
    await database_sync_to_async(connections.close_all)()  # so the test database can go
    log = await asyncio.to_thread((tmp_path / "daphne.log").read_text)
    assert [(o, s) for o, s, _, _ in turns] == [(0, "tutor"), (1, "learner"), (2, "tutor")], log
    assert turns[1][2] == "typed"
    assert turns[2][3] is True  # the reply cut off by the shutdown, kept and marked
    assert (done.status, done.end_reason) == ("ended", "server_shutdown")
    assert done.tutor_seconds > 0
