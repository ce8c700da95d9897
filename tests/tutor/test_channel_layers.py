"""The Redis channel layer as settings configure it: an idle receive waits quietly."""

from __future__ import annotations

import asyncio

import pytest
from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer
from django.test import override_settings

from tutor.channel_layers import SOCKET_TIMEOUT, redis_layer


def test_the_read_timeout_outlasts_the_layers_blocking_pop() -> None:
    [host] = redis_layer("redis://127.0.0.1:6379/0")["CONFIG"]["hosts"]
    assert host["socket_timeout"] == SOCKET_TIMEOUT > RedisChannelLayer.brpop_timeout


@pytest.mark.asyncio
async def test_an_idle_receive_outlives_one_blocking_pop_and_still_gets_its_message(
    redis_url: str,
) -> None:
    """redis-py 8's default 5 s read timeout equals channels_redis's 5 s pop: an idle
    receive raised redis' TimeoutError instead of popping again (and a message popped as the
    client gave up was lost)."""
    with override_settings(CHANNEL_LAYERS={"default": redis_layer(redis_url)}):
        layer = get_channel_layer()
        assert isinstance(layer, RedisChannelLayer)
        channel = await layer.new_channel()
        waiting = asyncio.ensure_future(layer.receive(channel))
        await asyncio.sleep(RedisChannelLayer.brpop_timeout + 1.5)
        assert not waiting.done()  # still waiting, no error
        await layer.send(channel, {"type": "hello"})
        assert await asyncio.wait_for(waiting, 5) == {"type": "hello"}
        await layer.flush()
