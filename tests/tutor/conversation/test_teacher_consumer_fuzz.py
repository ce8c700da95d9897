"""The teacher's live view only listens: whatever its page sends (text, binary, garbage,
floods) is ignored, the socket stays open and the consumer never raises."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.base import Personas
from tests.lessons.teaching import fast_passwords  # noqa: F401 (a fixture, used by name)
from tests.world import make_world
from tutor.routing import websocket_urlpatterns

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("fast_passwords"),
]

frames = st.lists(st.one_of(st.text(max_size=300), st.binary(max_size=300)), max_size=30)


@pytest.fixture
async def live_path(personas: Personas) -> str:
    world = await database_sync_to_async(make_world)(personas)
    return f"/ws/assignments/{world.assignment.pk}/live/"


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sent=frames)
async def test_anything_the_page_sends_is_ignored(
    personas: Personas, live_path: str, sent: list
) -> None:
    socket = WebsocketCommunicator(URLRouter(websocket_urlpatterns), live_path)
    socket.scope["user"] = personas.bob
    connected, _ = await socket.connect()
    assert connected
    try:
        for frame in sent:
            key = "bytes" if isinstance(frame, bytes) else "text"
            await socket.send_input({"type": "websocket.receive", key: frame})
        assert await socket.receive_nothing(timeout=0.05)
    finally:
        await socket.disconnect()  # re-raises anything the consumer raised
        await database_sync_to_async(connections.close_all)()
