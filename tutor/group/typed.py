"""A group room's typed fallback: a member whose network blocks WebSockets types into the room
over HTTP (`POST /groups/<uuid>/messages/`) and reads it by polling (`lessons:group_lines`).

One tutor and one record per room, whoever types how (docs/groups.md, "Typing over HTTP"):

- the room's lease (`room:<uuid>`) is held by a process running its Live session: the line goes
  to that runtime (`tutor.group.relay`) and is handled as a line typed on a socket; the tutor
  answers in the room (the page reads the answer with the rest);
- nobody holds it (no socket in the room): this request takes the lease for the length of one
  answer, records the line in every copy, asks the text model with the room's prompt (who is
  in the room, who speaks now, everyone's share) and records the answer in every copy, with
  the tutor's notes on the typist's own line in their copy only. A socket that connects
  meanwhile waits for the lease (its claim asks again), so two tutors never write at once;
- another typed answer holds it for a moment: this one waits its turn.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lessons.models import Conversation, GroupMember, GroupRoom
from lessons.selectors.groups import member_talk, visible_rooms
from lessons.services import groups as services
from tutor import logformat, metrics
from tutor.conversation import ownership, protocol
from tutor.conversation.access import HTTP_STATUS
from tutor.group import upstream as group_upstream
from tutor.group.fanout import Member
from tutor.group.relay import line_request
from tutor.group.runtime import lease_key
from tutor.learner_texts import unavailable_text
from tutor.live import upstream
from tutor.live.events import CorrectionNoted, Event, PhraseNoted, UpgradeNoted
from tutor.live.text_reply import TutorUnavailable, generate_text_reply
from tutor.prompts import TOOL_DECLARATIONS
from tutor.typed_fallback import typed_text

TYPED_TAG = "typed"  # in the lease token while a typed answer holds the room
WAIT_SECONDS = 8.0  # for another typed answer (at most ~3 s each) or a room being set up
ASK_SECONDS = 3.0  # for the owner to take the line
HISTORY_LINES = 60  # the single fallback's context, in the room's lines
# Not a socket code: someone who may see the room but is not in it (its teacher).
NOT_A_MEMBER = 403


@dataclass
class Typist:
    room: GroupRoom
    me: Member
    members: list[Member]


@require_POST
async def message(request: HttpRequest, room_id: UUID) -> HttpResponseBase:
    """One line typed into the room by one of its members."""
    with logformat.conversation_bound(room_id):
        return await _message(request, room_id)


async def _message(request: HttpRequest, room_id: UUID) -> HttpResponseBase:
    user = await request.auser()
    try:
        code, typist = await sync_to_async(_typist)(room_id, user)
    except services.GroupRefused as exc:  # a member who may no longer come back in
        return _refused(protocol.CLOSE_NOT_YOURS, str(exc))
    if typist is None:
        return _refused(code)
    text = typed_text(request)
    if text is None:
        message = _("Type a message of 1–%(max)s characters.") % {"max": protocol.MAX_TYPED_CHARS}
        return JsonResponse({"error": "bad_request", "message": message}, status=400)
    try:
        return await _deliver(typist, text)
    except ownership.LeaseUnavailable:
        return _busy()


def _typist(room_id: UUID, user: Any) -> tuple[int | None, Typist | None]:
    """(close code, None) when this visitor may not type here (the socket's codes), else the
    room as this member types into it. A member who had left is back in, as on the socket."""
    if user is None or not user.is_authenticated:
        return protocol.CLOSE_NOT_SIGNED_IN, None
    room = GroupRoom.objects.select_related("topic").filter(pk=room_id).first()
    mine = (
        GroupMember.objects.filter(room_id=room_id, learner_id=user.pk)
        .select_related("conversation")
        .first()
    )
    if room is None or mine is None:
        # Someone who may see the room (its teacher, a creator who is not in it) is told
        # so (403); to anyone else it does not exist (404), as on the room page.
        seen = room is not None and visible_rooms(user).filter(pk=room.pk).exists()
        return (NOT_A_MEMBER if seen else protocol.CLOSE_NOT_YOURS), None
    if room.status != GroupRoom.Status.OPEN:
        return protocol.CLOSE_GONE, None
    # Back in, as on the socket: a member who had left, or whose copy the sweep ended while
    # nobody was live (a text-only room has no runtime beating its members' copies).
    if mine.left_at is not None or mine.conversation.status != Conversation.Status.ACTIVE:
        services.group_join(room=room, learner=user)
    rows = GroupMember.objects.filter(room=room).select_related("learner").order_by("pk")
    members = [
        Member(
            m.learner_id,
            m.learner.name,
            m.conversation_id,
            native_language=m.learner.native_language or "en",
            present=m.left_at is None or m.learner_id == user.pk,
        )
        for m in rows
    ]
    me = next(m for m in members if m.id == user.pk)
    return None, Typist(room, me, members)


async def _deliver(typist: Typist, text: str) -> JsonResponse:
    owners = ownership.current()
    key = lease_key(typist.room.pk)
    request_id = secrets.token_hex(8)  # the same line asked again is taken once
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while loop.time() < deadline:
        lease, holder = await owners.try_claim(key, TYPED_TAG)
        if lease is not None:
            try:
                return await _answer_in_text(typist, text)
            finally:
                await lease.release()
        if holder is not None and f"#{TYPED_TAG}-" not in holder:
            ask = line_request(
                room_id=typist.room.pk, member=typist.me, text=text, request_id=request_id
            )
            answer = await owners.request(holder, ask, within=ASK_SECONDS)
            if answer is not None and answer.get("ok"):
                metrics.TYPED_FALLBACK.labels("relayed").inc()
                return JsonResponse({"via": "live"}, status=202)
            if answer is not None and answer.get("reason") == "unavailable":
                return _unavailable()
            # No answer, or no running room there (being set up, handing over, just ended):
            # look at the lease again.
        await asyncio.sleep(0.2)
    return _busy()


async def _answer_in_text(typist: Typist, text: str) -> JsonResponse:
    """No Live session: the text model answers, both lines go into every copy."""
    room, me = typist.room, typist.me
    history = await sync_to_async(group_upstream.room_history)(room)
    now = _room_ms(room)
    mine = await sync_to_async(services.group_record_turn)(
        room_id=room.pk,
        speaker_learner_id=me.id,
        text=text,
        started_ms=now,
        ended_ms=now,
        source="typed",
    )
    talk = {t.learner_id: t.talk_ms for t in await sync_to_async(member_talk)(room)}
    instruction = group_upstream.room_instruction(room)(typist.members, me.id, (), talk)
    try:
        reply = await generate_text_reply(
            upstream.client(),
            model=settings.GEMINI_TEXT_MODEL,
            system_instruction=instruction,
            history=history[-HISTORY_LINES:],
            message=text,
            tools=list(TOOL_DECLARATIONS),  # the Live session's: notes stored alike
        )
    except TutorUnavailable as exc:
        metrics.TYPED_FALLBACK.labels("unavailable").inc()
        return JsonResponse(
            {
                "error": exc.code,
                "message": unavailable_text(exc),
                "learnerTurn": mine[me.id].ordinal,
            },
            status=503,
        )
    now = _room_ms(room)
    tutor = await sync_to_async(services.group_record_turn)(
        room_id=room.pk,
        speaker_learner_id=None,
        text=reply.text,
        started_ms=now,
        ended_ms=now,
        source="typed",
    )
    await sync_to_async(_store_notes)(room.pk, me.id, mine[me.id].ordinal, reply.notes)
    metrics.TYPED_FALLBACK.labels("answered").inc()
    return JsonResponse(
        {
            "via": "text",
            "learner": {"turn": mine[me.id].ordinal, "text": text},
            "tutor": {"turn": tutor[me.id].ordinal, "text": reply.text},
        }
    )


def _store_notes(room_id: UUID, learner_id: int, ordinal: int, notes: tuple[Event, ...]) -> None:
    """The tutor's notes on the typist's line, in their copy only (as the runtime stores
    them); the page reads them with the lines."""
    upgraded = False
    for note in notes:
        if isinstance(note, CorrectionNoted):
            services.group_note_correction(
                room_id=room_id,
                learner_id=learner_id,
                turn_ordinal=ordinal,
                original=note.original,
                corrected=note.corrected,
                explanation=note.explanation,
                kind=note.kind,
            )
        elif isinstance(note, PhraseNoted):
            services.group_note_phrase(
                room_id=room_id,
                learner_id=learner_id,
                text=note.text,
                translation=note.translation,
                turn_ordinal=ordinal,
            )
        elif isinstance(note, UpgradeNoted) and not upgraded:  # one per line
            upgraded = True
            services.group_note_upgrade(
                room_id=room_id,
                learner_id=learner_id,
                turn_ordinal=ordinal,
                original=note.original,
                upgraded=note.upgraded,
                explanation=note.explanation,
            )


def _room_ms(room: GroupRoom) -> int:
    """The room's clock (only durations are summed): ms since it opened."""
    return max(0, int((timezone.now() - room.created_at).total_seconds() * 1000))


def _refused(code: int | None, message: str = "") -> JsonResponse:
    status = HTTP_STATUS.get(code or protocol.CLOSE_NOT_YOURS, 404)
    if code == NOT_A_MEMBER:
        status = 403
    return JsonResponse(
        {"error": "not_available", "message": message or _refusal_text(code)}, status=status
    )


def _refusal_text(code: int | None) -> str:
    if code == protocol.CLOSE_NOT_SIGNED_IN:
        return _("Sign in to join this group conversation.")
    if code == protocol.CLOSE_GONE:
        return _("This group conversation has ended.")
    if code == NOT_A_MEMBER:
        return _("Only the room's members can type in it.")
    return _("This group conversation is not available to you.")


def _busy() -> JsonResponse:
    message = _("The room isn't answering right now. Try again in a moment.")
    return JsonResponse({"error": "busy", "message": message}, status=503)


def _unavailable() -> JsonResponse:
    message = _("The tutor is unavailable right now.")
    return JsonResponse({"error": "unavailable", "message": message}, status=503)
