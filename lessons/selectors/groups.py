"""Read models for group conversations (docs/groups.md): the room page's members and presence,
each member's talk time and share, the teacher's view of a room, and a learner's talk share
across their group conversations (the progress page).

A member's talk time is the summed time of their own `learner` turns, which is the running
total `learner_turn_ms` of their copy (lessons.services.totals; a peer's line adds to nothing),
so no turn is read. Their share is that over the room's total of every member's."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import add
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Count, F, Q, QuerySet, Sum
from django.urls import reverse

from lessons.models import (
    Conversation,
    Correction,
    GroupMember,
    GroupRoom,
    Turn,
    Upgrade,
    correction_count_field,
)

if TYPE_CHECKING:
    from accounts.models import User

_CORRECTION_FIELDS = [correction_count_field(kind) for kind in Correction.Kind]


@dataclass(frozen=True)
class MemberTalk:
    learner_id: int
    name: str
    present: bool
    talk_ms: int
    share: float | None  # 0..1 of the room's learner talk; None while nobody has spoken
    corrections: int
    conversation_id: UUID

    @property
    def talk_seconds(self) -> int:
        return round(self.talk_ms / 1000)

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


def member_talk(room: GroupRoom) -> list[MemberTalk]:
    """Every member (present or away) in the order they joined, with talk time and share."""
    corrections = reduce(add, [F(f"conversation__{field}") for field in _CORRECTION_FIELDS])
    rows = list(
        GroupMember.objects.filter(room=room)
        .select_related("learner")
        .annotate(talk_ms=F("conversation__learner_turn_ms"), corrections=corrections)
        .order_by("joined_at", "pk")
    )
    total = sum(row.talk_ms for row in rows)
    return [
        MemberTalk(
            learner_id=row.learner_id,
            name=row.learner.name,
            present=row.left_at is None,
            talk_ms=row.talk_ms,
            share=row.talk_ms / total if total else None,
            corrections=row.corrections,
            conversation_id=row.conversation_id,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class RoomPage:
    room: GroupRoom
    members: list[MemberTalk]
    viewer_is_member: bool
    viewer_present: bool
    can_end: bool
    full: bool
    invite_path: str
    socket_path: str


def can_end(room: GroupRoom, user: User) -> bool:
    """The room's creator, or the teacher of the class it was opened for."""
    if room.created_by_id == user.pk:
        return True
    return room.assignment is not None and room.assignment.classroom.teacher_id == user.pk


def visible_rooms(user: User) -> QuerySet[GroupRoom]:
    """Rooms `user` may open the page of: theirs as a member or creator, and for a teacher,
    those opened for their classes' assignments."""
    return GroupRoom.objects.filter(
        Q(members__learner=user) | Q(created_by=user) | Q(assignment__classroom__teacher=user)
    ).distinct()


def invite_path(room: GroupRoom) -> str:
    return reverse("lessons:group_join", args=[room.invite_token])


def room_page(room: GroupRoom, viewer: User) -> RoomPage:
    members = member_talk(room)
    mine = next((m for m in members if m.learner_id == viewer.pk), None)
    return RoomPage(
        room=room,
        members=members,
        viewer_is_member=mine is not None,
        viewer_present=mine is not None and mine.present,
        can_end=can_end(room, viewer),
        full=len(members) >= room.max_members,
        invite_path=invite_path(room),
        socket_path=f"/ws/groups/{room.pk}/",
    )


@dataclass(frozen=True)
class TeacherRoom:
    room: GroupRoom
    members: list[MemberTalk]
    review_urls: dict[int, str]  # learner id: the teacher's transcript of their copy
    total_ms: int

    @property
    def rows(self) -> list[tuple[MemberTalk, str | None]]:
        return [(m, self.review_urls.get(m.learner_id)) for m in self.members]


def teacher_room(room: GroupRoom) -> TeacherRoom:
    members = member_talk(room)
    urls = {}
    if room.assignment_id is not None:
        urls = {
            m.learner_id: reverse("teach:transcript", args=[m.conversation_id]) for m in members
        }
    return TeacherRoom(
        room=room,
        members=members,
        review_urls=urls,
        total_ms=sum(m.talk_ms for m in members),
    )


def assignment_rooms(assignment_id: int) -> QuerySet[GroupRoom]:
    return GroupRoom.objects.filter(assignment_id=assignment_id).order_by("-created_at")


@dataclass(frozen=True)
class GroupShare:
    """A learner's talk in all their group conversations."""

    conversations: int
    talk_ms: int
    room_ms: int  # every member's talk in those rooms, the learner's included

    @property
    def percent(self) -> int | None:
        return round(100 * self.talk_ms / self.room_ms) if self.room_ms else None

    @property
    def minutes(self) -> float:
        return self.talk_ms / 60000


def group_share(learner: User) -> GroupShare:
    """Their own talk time over the talk time of everyone in the rooms they were in."""
    mine = GroupMember.objects.filter(learner=learner)
    own = mine.aggregate(ms=Sum("conversation__learner_turn_ms"))["ms"] or 0
    rooms = mine.values("room_id")
    everyone = GroupMember.objects.filter(room_id__in=rooms).aggregate(
        ms=Sum("conversation__learner_turn_ms")
    )["ms"]
    return GroupShare(conversations=mine.count(), talk_ms=own, room_ms=everyone or 0)


@dataclass(frozen=True)
class LearnerRoom:
    room: GroupRoom
    member: GroupMember | None
    members: int


def learner_rooms(learner: User, limit: int = 20) -> list[LearnerRoom]:
    """The rooms on a learner's group page: theirs as a member or creator and those a teacher
    invited them to, open ones first, newest first."""
    rooms = list(
        GroupRoom.objects.filter(
            Q(members__learner=learner) | Q(created_by=learner) | Q(invited=learner)
        )
        .distinct()
        .select_related("topic")
        .order_by("-status", "-created_at")[:limit]
    )
    mine = {
        m.room_id: m
        for m in GroupMember.objects.filter(learner=learner, room__in=[r.pk for r in rooms])
    }
    counts = dict(
        GroupMember.objects.filter(room__in=[r.pk for r in rooms])
        .values_list("room_id")
        .annotate(n=Count("pk"))
        .values_list("room_id", "n")
    )
    return [LearnerRoom(room, mine.get(room.pk), counts.get(room.pk, 0)) for room in rooms]


def conversation_group_talk(conversation: Conversation) -> MemberTalk | None:
    """For a member's copy of a group conversation, their talk time and share in the room
    (the review page); None for any other conversation or a room that is gone."""
    if conversation.group_room_id is None:
        return None
    room = GroupRoom(pk=conversation.group_room_id)
    return next(
        (m for m in member_talk(room) if m.conversation_id == conversation.pk),
        None,
    )


LINES_PER_READ = 200


@dataclass(frozen=True)
class RoomLines:
    """A member's copy of the room after the positions a page has read (the room's typed
    fallback reads it by polling, `lessons:group_lines`)."""

    open: bool
    lines: list[dict[str, object]]  # turn (ordinal in this copy), speaker, name, text
    corrections: list[dict[str, object]]  # on this member's own lines only
    upgrades: list[dict[str, object]]
    more: bool  # more lines than one read returns: read again at once


def room_lines(
    member: GroupMember, *, after: int, corrections_after: int = 0, upgrades_after: int = 0
) -> RoomLines:
    """Lines of `member`'s copy with an ordinal over `after` (everyone's, the peers' named),
    and the notes on their own lines with an id over the given ones. Notes are stored only in
    the speaker's copy, so another member's never show here; they may come after their line
    (a Live correction does), hence their own positions."""
    rows = list(
        Turn.objects.filter(conversation_id=member.conversation_id, ordinal__gt=after)
        .order_by("ordinal")
        .values("ordinal", "speaker", "speaker_name", "text")[: LINES_PER_READ + 1]
    )
    own = {"conversation_id": member.conversation_id, "speaker": Turn.Speaker.LEARNER}
    return RoomLines(
        open=member.room.is_open,
        lines=[
            {
                "turn": row["ordinal"],
                "speaker": row["speaker"],
                "name": row["speaker_name"],
                "text": row["text"],
            }
            for row in rows[:LINES_PER_READ]
        ],
        corrections=[
            {
                "id": c.pk,
                "turn": c.turn.ordinal,
                "original": c.original,
                "corrected": c.corrected,
                "explanation": c.explanation,
            }
            for c in Correction.objects.filter(
                pk__gt=corrections_after, **{f"turn__{k}": v for k, v in own.items()}
            )
            .select_related("turn")
            .order_by("pk")
        ],
        upgrades=[
            {
                "id": u.pk,
                "turn": u.turn.ordinal,
                "original": u.original,
                "upgraded": u.upgraded,
                "explanation": u.explanation,
            }
            for u in Upgrade.objects.filter(
                pk__gt=upgrades_after, **{f"turn__{k}": v for k, v in own.items()}
            )
            .select_related("turn")
            .order_by("pk")
        ],
        more=len(rows) > LINES_PER_READ,
    )
