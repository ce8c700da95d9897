"""A group room's sockets, one per present member, seen by the runtime as one sink.

`tutor.conversation.runtime.ConversationRuntime` sends to one `Sink`; a room's runtime gives
it a `Fanout`, which sends each event and each chunk of tutor audio to every member's socket
(each socket encodes audio in its own codec, `tutor.audio.socket_audio`), or to one member
(`to`), for what is only theirs: the tutor's notes on their own lines.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from tutor.conversation.runtime import Sink

logger = logging.getLogger(__name__)


@dataclass
class Member:
    id: int  # the learner's user id
    name: str
    conversation_id: UUID  # their own copy of the room's conversation
    native_language: str = "en"
    present: bool = False

    def card(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "present": self.present}


class Fanout:
    def __init__(self) -> None:
        self.sinks: dict[int, Sink] = {}  # by member id

    def __bool__(self) -> bool:
        return bool(self.sinks)

    def member_of(self, sink: Sink) -> int | None:
        return next((m for m, s in self.sinks.items() if s is sink), None)

    async def send_event(self, payload: dict[str, Any]) -> None:
        for member in list(self.sinks):
            await self.to(member, payload)

    async def to(self, member: int, payload: dict[str, Any]) -> None:
        sink = self.sinks.get(member)
        if sink is None:
            return
        try:
            await sink.send_event(payload)
        except Exception:  # that page went away mid-send; the others still hear it
            logger.info("group member %s: could not send %s", member, payload.get("type"))

    async def send_audio(self, pcm: bytes) -> None:
        for member, sink in list(self.sinks.items()):
            try:
                await sink.send_audio(pcm)
            except Exception:
                logger.info("group member %s: could not send tutor audio", member)

    async def close_with(self, code: int) -> None:
        sinks, self.sinks = list(self.sinks.values()), {}
        for sink in sinks:
            try:
                await sink.close_with(code)
            except Exception:
                logger.info("group socket already closed")
