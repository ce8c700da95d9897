"""A line typed into a group room over HTTP (`tutor.group.typed`, the room's typed fallback)
reaches the room's Live session, in whichever process owns the room's lease (`room:<uuid>`).

The HTTP view sends a `room.typed_line` request to the lease holder's channel
(`tutor.conversation.ownership.Ownership.request`; its own process's too, one path); the owner
hands the line to its `GroupRuntime.member_text`, exactly as a line typed on a member's
socket, and answers once the runtime has taken it (recorded in every copy by the runtime's
ordered writer, with the member's name). So a room has one tutor and one record whether its
members type on a socket or over HTTP.

Imported by the room's consumer, so every process that can own a room answers these.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any
from uuid import UUID

from tutor.conversation import ownership
from tutor.conversation.registry import REGISTRY
from tutor.group.fanout import Member
from tutor.group.runtime import GroupRuntime

logger = logging.getLogger(__name__)

ROOM_LINE = "room.typed_line"
# Requests already handled, by id: a request whose answer was late is sent again with the
# same id, and must not put the same line into the room twice.
_HANDLED: OrderedDict[str, dict[str, Any]] = OrderedDict()
_REMEMBERED = 256


def line_request(*, room_id: UUID, member: Member, text: str, request_id: str) -> dict[str, Any]:
    return {
        "type": ROOM_LINE,
        "id": request_id,
        "room": str(room_id),
        "member": member.id,
        "name": member.name,
        "conversation": str(member.conversation_id),
        "native": member.native_language,
        "text": text,
    }


async def on_line(owners: ownership.Ownership, message: dict[str, Any]) -> None:
    """The owner's side: the room's runtime takes the line, then the asker hears how it went:
    `{"ok": true}`, or `{"ok": false, "reason": "no_room" | "unavailable"}` (no running
    room here: the asker looks at the lease again; the tutor failed)."""
    request_id = str(message.get("id", ""))
    done = _HANDLED.get(request_id)
    if done is None:
        done = await _take(message)
        if done.get("ok"):
            _HANDLED[request_id] = done
            while len(_HANDLED) > _REMEMBERED:
                _HANDLED.popitem(last=False)
    await owners.answer(message, done)


async def _take(message: dict[str, Any]) -> dict[str, Any]:
    runtime = REGISTRY.get(UUID(str(message["room"])))
    if not isinstance(runtime, GroupRuntime) or runtime.ended:
        return {"ok": False, "reason": "no_room"}
    member = Member(
        int(message["member"]),
        str(message["name"]),
        UUID(str(message["conversation"])),
        native_language=str(message.get("native") or "en"),
    )
    runtime.add_member(member)  # someone who joined after the room's Live session began
    runtime.typed_from_afar()  # keeps a room without sockets from ending under its typist
    try:
        # A room whose pages have connected but not started yet: a typed line is a request
        # for the tutor's answer, so its Live session starts now (`start` is once only).
        await runtime.start()
        await runtime.member_text(member.id, str(message["text"]))
    except Exception:
        logger.warning("room %s: a typed line was not taken", runtime.id, exc_info=True)
        return {"ok": False, "reason": "unavailable"}
    return {"ok": True}


ownership.HANDLERS[ROOM_LINE] = on_line
