"""A WebSocket consumer for frames arriving 50 times a second: Channels' per-message
machinery, built for occasional messages, was most of what the relay spent on each frame.

- `__call__`: with no channel layer, read and dispatch in one loop. Channels' loop
  (`await_many_dispatch`) wraps every receive in a new task plus an `asyncio.wait`.
- `dispatch`: binary frames skip Channels' `close_old_connections`, a hop to the one
  database thread (and a SELECT 1 with conn_health_checks) per frame, which queued every
  conversation's audio behind the others' (p50 7 s at 30 conversations, bench/relay.py).
  Binary frames touch no database here; every database call goes through
  `database_sync_to_async`, which closes stale connections itself.
"""

from __future__ import annotations

from typing import Any

from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer


class DirectWebsocketConsumer(AsyncWebsocketConsumer):
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if get_channel_layer(self.channel_layer_alias) is not None:
            await super().__call__(scope, receive, send)
            return
        self.scope, self.channel_layer, self.base_send = scope, None, send
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass

    async def dispatch(self, message: dict[str, Any]) -> None:
        if message["type"] == "websocket.receive" and message.get("bytes") is not None:
            await self.websocket_receive(message)
            return
        await super().dispatch(message)
