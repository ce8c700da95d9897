"""The group room WebSocket, `/ws/groups/<uuid>/`: one per member's page.

The conversation socket's frames, checks, rate limits and close codes
(`tutor.conversation.consumer`, whose consumer this extends), per member; on top: only a
signed-in member of the room gets in (4401, 4403; 4410 once the room has ended), one socket
per member (a second tab replaces the first, 4409), and a member's audio goes to the room's
floor (`tutor.group.runtime`). `end` from the room's creator ends the room for everyone; from
anyone else it is Leave: they leave at once and the room goes on.

A page connects as soon as it opens, with `start` saying `"listen": true` (no microphone yet):
its member is present and it gets the room's presence, floor and captions, but the tutor (the
room's Live session) starts only on a `start` without it, which the page sends on the first
Talk or typed line. That `start` may declare another format than the listening one (the
microphone's rate is known only once it is granted): a group socket's format is the last
`start`'s.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import DatabaseError

from accounts import language
from lessons.models import GroupMember, GroupRoom
from lessons.selectors.groups import member_talk
from lessons.services import groups as services
from tutor import logformat
from tutor.audio import socket_audio
from tutor.audio.frames import Start
from tutor.audio.rate_limit import InboundBudget
from tutor.conversation import ownership, protocol
from tutor.conversation.consumer import ConversationConsumer
from tutor.conversation.registry import REGISTRY
from tutor.group import (
    relay,  # noqa: F401  (so this process answers lines typed over HTTP)
    upstream,
)
from tutor.group.fanout import Member
from tutor.group.runtime import GroupRuntime, lease_key
from tutor.live.session import LiveTutor
from tutor.live.upstream import client

logger = logging.getLogger(__name__)
_CREATING: dict[UUID, asyncio.Lock] = {}
MAX_SOCKETS_PER_ROOM = 4  # one per member; GroupRoom.max_members is at most 4


@dataclass
class Seat:
    """What a socket needs of the room and of its member, read once at connect."""

    room: GroupRoom
    members: list[Member]
    history: list[tuple[str, str]]  # the room's lines stored so far (a takeover's start)
    talk_ms: dict[int, int]  # each member's stored talk time


def _members(room: GroupRoom) -> list[Member]:
    rows = GroupMember.objects.filter(room=room).select_related("learner")
    return [Member(m.learner_id, m.learner.name, m.conversation_id, present=False) for m in rows]


@database_sync_to_async
def _seat(pk: UUID, user: Any) -> tuple[int | None, Seat | None]:
    """(close code, None) when this visitor may not be in the room, else (None, seat)."""
    if user is None or not user.is_authenticated:
        return protocol.CLOSE_NOT_SIGNED_IN, None
    room = GroupRoom.objects.select_related("topic").filter(pk=pk).first()
    member = GroupMember.objects.filter(room_id=pk, learner_id=user.pk).first()
    if room is None or member is None:  # not confirming that a room exists to outsiders
        return protocol.CLOSE_NOT_YOURS, None
    if room.status != GroupRoom.Status.OPEN:
        return protocol.CLOSE_GONE, None
    if member.left_at is not None:
        services.group_join(room=room, learner=user)  # back in the room
    talk = {m.learner_id: m.talk_ms for m in member_talk(room)}
    return None, Seat(room, _members(room), upstream.room_history(room), talk)


class GroupConsumer(ConversationConsumer):
    runtime: GroupRuntime | None = None  # type: ignore[assignment]
    member_id: int = 0
    started_once = False  # the outbound codec is the class's shared PcmOut until then

    async def connect(self) -> None:
        pk = self.scope["url_route"]["kwargs"]["pk"]
        logformat.bind_conversation(pk)
        # Each member's own language: the room's frames (its error, the time limit) are lazy
        # texts, turned into words as they leave for this socket (ConversationConsumer).
        self.interface_language = language.for_scope(self.scope)
        await self.accept()
        try:
            code, seat = await _seat(pk, self.scope.get("user"))
        except services.GroupRefused:  # a member who may no longer come back in
            await self.close(protocol.CLOSE_NOT_YOURS)
            return
        except DatabaseError:
            logger.warning("room %s: database unavailable at connect", pk)
            await self.close(protocol.CLOSE_TRY_AGAIN)
            return
        if seat is None:
            await self.close(code)
            return
        self.member_id = self.scope["user"].pk
        self.bytes_in = InboundBudget(settings.MAX_INBOUND_BYTES_PER_SECOND, time.monotonic)
        self.frames_in = InboundBudget(settings.MAX_INBOUND_FRAMES_PER_SECOND, time.monotonic)
        runtime = await self._room_runtime(seat)
        if runtime is None:  # its owner elsewhere did not let go (or we are stopping)
            await self.close(protocol.CLOSE_TRY_AGAIN)
            return
        if len(runtime.fanout.sinks) >= MAX_SOCKETS_PER_ROOM and (
            self.member_id not in runtime.fanout.sinks
        ):
            await self.close(protocol.CLOSE_TOO_MANY)
            return
        self.runtime = runtime
        replaced = runtime.attach_member(self.member_id, self)
        if replaced is not None:  # the same member's other tab
            await replaced.close_with(protocol.CLOSE_REPLACED)
        await runtime.send_presence()

    async def _room_runtime(self, seat: Seat) -> GroupRuntime | None:
        room = seat.room
        lock = _CREATING.setdefault(room.pk, asyncio.Lock())
        async with lock:
            runtime = REGISTRY.get(room.pk)
            if isinstance(runtime, GroupRuntime) and not runtime.ended:
                for member in seat.members:  # someone joined since it began
                    runtime.add_member(member)
                return runtime
            runtime = await self._claimed_runtime_for(seat)
            if runtime is not None:
                REGISTRY[room.pk] = runtime
        _CREATING.pop(room.pk, None)
        return runtime

    async def _claimed_runtime_for(self, seat: Seat) -> GroupRuntime | None:
        """A new runtime holding the room's lease (`room:<uuid>`): at most one process has
        the room's Live session."""
        owners = ownership.current()
        if owners.draining:
            return None
        lease = await owners.claim(lease_key(seat.room.pk))
        if lease is None:
            return None
        room = seat.room
        live, instruction = upstream.live_settings(room, seat.members, history=seat.history)
        topic = room.topic
        runtime = GroupRuntime(
            room_id=room.pk,
            created_by=room.created_by_id,
            started_at=room.created_at,
            tutor=LiveTutor(client(), live),
            members=seat.members,
            instruction=instruction,
            language=room.language,
            target_phrases=tuple(topic.target_phrases) if topic else (),
            next_line=len(seat.history),
        )
        runtime.carry_talk(seat.talk_ms)
        runtime.own(lease)
        return runtime

    async def disconnect(self, code: int) -> None:
        # 1000 from the page: its member left on purpose (Leave); a drop or a reload (1001,
        # 1006) keeps their place for the grace period.
        if self.inbound is not None:
            self.inbound.close()
        if self.runtime is not None:
            self.runtime.detach(self, leaving=code == protocol.CLOSE_NORMAL)

    # -- frames from the browser --------------------------------------------------------

    def parse_control(self, raw: str) -> dict[str, Any]:
        return protocol.parse_room_frame(raw)

    async def _learner_audio(self, pcm: bytes) -> None:
        if pcm and self.runtime is not None:
            await self.runtime.member_audio(self.member_id, pcm)

    async def _control(self, message: dict[str, Any]) -> None:
        runtime = self.runtime
        if runtime is None:
            return
        kind = message["type"]
        if kind == "start":
            await self._start(protocol.parse_start(message), listen=message.get("listen", False))
        elif kind == "text":
            await runtime.member_text(self.member_id, message["text"].strip())
        elif kind == "pause":
            if self.inbound is not None:
                self.inbound.pause()
            await runtime.member_paused(self.member_id)
        elif kind == "end":
            await self._end(runtime)
        else:
            await self.send_event({"type": "pong"})

    async def _end(self, runtime: GroupRuntime) -> None:
        """The creator ends the room; anyone else leaves it (and may come back)."""
        if self.member_id == runtime.created_by:
            await runtime.finish("learner_ended", close_code=protocol.CLOSE_NORMAL)
            return
        await self.send_event({"type": "ended", "reason": "left"})
        await self.close_with(protocol.CLOSE_NORMAL)
        await database_sync_to_async(services.group_leave)(
            room_id=runtime.id, learner_id=self.member_id
        )
        runtime.members[self.member_id].present = False
        await runtime.send_presence()

    async def _start(self, start: Start, *, listen: bool = False) -> None:
        runtime = self.runtime
        if runtime is None:
            return
        if self.inbound is None or self.inbound.start != start:
            # The first start, or the microphone's format after the listening one: frames
            # are handled in order, so every audio frame after this start is in its format.
            if self.inbound is not None:
                self.inbound.close()
            limit = settings.MAX_INBOUND_BYTES_PER_SECOND
            self.inbound = socket_audio.inbound(
                start, max_bytes_per_second=limit, deliver=self._learner_audio
            )
            if self.outbound.codec != start.output_codec or not self.started_once:
                self.outbound = socket_audio.outbound(start)
        self.started_once = True
        await self.send_event(
            {
                "type": "ready",
                "room": str(runtime.id),
                "member": self.member_id,
                "creator": runtime.created_by,
                "trial": False,
                "trialSecondsLeft": None,
                "demo": settings.DEMO_TUTOR,
                "outputRate": socket_audio.TUTOR_RATE,
                "codec": start.codec,
                "outputCodec": self.outbound.codec,
                "listening": listen,  # the tutor is not started for this page's sake
            }
        )
        if not listen:
            await runtime.start()
        await self.send_event(runtime.floor_frame())
        await runtime.send_presence()
