"""tutor/conversation/direct_consumer.py: Channels' consumer contract, without the per-frame
machinery."""

from __future__ import annotations

from unittest import mock

import pytest
from channels.testing import WebsocketCommunicator

from tutor.conversation.direct_consumer import DirectWebsocketConsumer

# Channels closes stale database connections around text frames, so the database is in play.
pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


class Echo(DirectWebsocketConsumer):
    channel_layer_alias = "no-channel-layer"
    closed_with: list[int] = []

    async def connect(self) -> None:
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if bytes_data is not None:
            await self.send(bytes_data=bytes_data[::-1])
        else:
            await self.send(text_data=(text_data or "").upper())

    async def disconnect(self, code: int) -> None:
        Echo.closed_with.append(code)


async def test_frames_are_handled_in_order_and_disconnect_ends_the_consumer() -> None:
    ws = WebsocketCommunicator(Echo.as_asgi(), "/")
    connected, _ = await ws.connect()
    assert connected
    for index in range(20):
        await ws.send_to(bytes_data=bytes([index, 0]))
    await ws.send_to(text_data="hola")
    replies = [await ws.receive_from() for _ in range(21)]
    assert replies == [bytes([0, index]) for index in range(20)] + ["HOLA"]
    await ws.disconnect(code=1001)
    assert Echo.closed_with[-1] == 1001


async def test_binary_frames_skip_the_database_hygiene_text_frames_keep_it() -> None:
    cleanup = mock.AsyncMock()
    with mock.patch("channels.consumer.aclose_old_connections", cleanup):
        ws = WebsocketCommunicator(Echo.as_asgi(), "/")
        await ws.connect()
        calls_after_connect = cleanup.await_count
        for _ in range(5):
            await ws.send_to(bytes_data=b"\x01\x02")
            await ws.receive_from()
        assert cleanup.await_count == calls_after_connect
        await ws.send_to(text_data="x")
        await ws.receive_from()
        assert cleanup.await_count == calls_after_connect + 1
        await ws.disconnect()


class Layered(Echo):
    channel_layer_alias = "default"  # the in-memory layer the test settings configure

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.send(text_data=self.channel_name)


async def test_with_a_channel_layer_it_is_a_plain_channels_consumer() -> None:
    ws = WebsocketCommunicator(Layered.as_asgi(), "/")
    connected, _ = await ws.connect()
    assert connected
    await ws.send_to(text_data="who are you?")
    assert (await ws.receive_from()).startswith("specific.")  # Channels gave it a channel
    await ws.disconnect()
