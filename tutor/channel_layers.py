"""The Redis channel layer's configuration, for settings and for tests that need a real layer.

channels_redis waits for a message with a blocking pop of `RedisChannelLayer.brpop_timeout`
(5 s), then pops again. redis-py 8 gives every socket a 5 s read timeout by default
(`redis._defaults.DEFAULT_SOCKET_TIMEOUT`), so an idle `receive` (the hand-over listener of
`tutor/conversation/ownership.py`, a teacher's live page) failed with TimeoutError every five
seconds, and a message Redis popped just as the client gave up went down with the connection.
The read timeout must outlast the pop; a dead Redis is still noticed within it.
"""

from __future__ import annotations

from typing import Any

from channels_redis.core import RedisChannelLayer

SOCKET_TIMEOUT = RedisChannelLayer.brpop_timeout + 10.0  # seconds
CONNECT_TIMEOUT = 5.0  # seconds


def redis_layer(url: str) -> dict[str, Any]:
    """A `CHANNEL_LAYERS` entry for the Redis at `url`."""
    host = {"address": url, "socket_timeout": SOCKET_TIMEOUT}
    host["socket_connect_timeout"] = CONNECT_TIMEOUT
    return {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [host]}}
