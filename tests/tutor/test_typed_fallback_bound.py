"""The typed fallback answers or fails within 3 s (tutor/live/text_reply.py,
tutor/typed_fallback.py).

The real SDK talks to a real socket in every case: a closed port (Gemini unreachable) and a
server that accepts and never answers (Gemini slow). The normal path, through the emulator, is
tests/tutor/test_views.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings

from accounts.models import User
from lessons.models import Conversation, Turn
from tests.tutor.typed import post_line, typing_in
from tutor.live import upstream
from tutor.live.text_reply import TEXT_TIMEOUT, UNAVAILABLE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

BOUND = 3.5  # the 3 s, with room for a loaded CI machine; never tighter


def closed_port() -> int:
    """A port nothing listens on: bound, read, released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[int]:
    """Accepts TCP connections and never says a word, not even the TLS handshake."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


async def post_typed(async_client: Any, alice: User, base_url: str) -> tuple[Any, float, Any]:
    conversation = await typing_in(async_client, alice)
    with override_settings(GOOGLE_GEMINI_BASE_URL=base_url, GEMINI_CA_FILE=""):
        upstream.client.cache_clear()
        try:
            started = time.monotonic()
            response = await post_line(async_client, conversation, "hola")
            elapsed = time.monotonic() - started
        finally:
            upstream.client.cache_clear()
    return response, elapsed, conversation


async def assert_kept_and_refused(response: Any, conversation: Conversation) -> None:
    assert response.status_code == 503
    body = response.json()
    assert (body["error"], body["message"]) == ("upstream_unavailable", UNAVAILABLE)
    turns = await database_sync_to_async(list)(
        Turn.objects.filter(conversation=conversation).values_list("speaker", "text", "source")
    )
    assert turns == [("learner", "hola", "typed")]  # nothing lost
    assert body["learnerTurn"] == 0


async def test_an_unreachable_gemini_gives_503_at_once(alice: User, async_client: Any) -> None:
    """A refused connection used to wait for the SDK's 1-10 s retry sleep."""
    url = f"https://127.0.0.1:{closed_port()}"
    response, elapsed, conversation = await post_typed(async_client, alice, url)
    await assert_kept_and_refused(response, conversation)
    assert elapsed < BOUND


async def test_a_gemini_that_never_answers_times_out_within_the_bound(
    alice: User, async_client: Any
) -> None:
    async with silent_server() as port:
        response, elapsed, conversation = await post_typed(
            async_client, alice, f"https://127.0.0.1:{port}"
        )
    await assert_kept_and_refused(response, conversation)
    assert elapsed + 0.1 >= TEXT_TIMEOUT  # it really waited for the timeout, not a crash
    assert elapsed < BOUND
