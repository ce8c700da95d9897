"""Group conversations (docs/groups.md): opening a room, joining, leaving and ending it, and
every line said in it written to every member's own conversation (fan-out). The only writers of
`GroupRoom` and `GroupMember`; each member's conversation is written through the conversation
and card services, so its totals, cards and heartbeat stay as they are for one learner.

Ordinals are per conversation: a line is turn 7 in Ana's copy and turn 5 in Ben's, who joined
later. `group_record_turn` returns each member's `Turn`, and the notes that follow a line
(`group_note_correction`, `group_note_phrase`, `group_note_upgrade`) name the turn by the
ordinal it has in the speaking learner's own copy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Level, Role
from lessons.models import (
    Assignment,
    Conversation,
    Correction,
    GroupMember,
    GroupRoom,
    Membership,
    Phrase,
    Topic,
    Turn,
    Upgrade,
)
from lessons.models.groups import MAX_MEMBERS, MIN_MEMBERS
from lessons.services.cards import (
    conversation_record_correction,
    conversation_record_phrase,
    conversation_record_upgrade,
)
from lessons.services.conversations import (
    conversation_amend_turn,
    conversation_finish,
    conversation_record_turn,
    conversation_start,
)
from lessons.services.limits import LimitExceeded

if TYPE_CHECKING:
    from accounts.models import User

__all__ = [
    "OPEN_ROOMS_PER_CREATOR",
    "OPEN_ROOMS_WINDOW",
    "GroupRefused",
    "group_amend_turn",
    "group_end",
    "group_join",
    "group_leave",
    "group_note_correction",
    "group_note_phrase",
    "group_note_upgrade",
    "group_open",
    "group_record_turn",
]

# A user may have this many open rooms they opened in the last OPEN_ROOMS_WINDOW; older ones
# left open (everyone went home without pressing End) no longer count against them.
OPEN_ROOMS_PER_CREATOR = 3
OPEN_ROOMS_WINDOW = timedelta(hours=12)


class GroupRefused(LimitExceeded):
    """Opening or joining a room refused; `str(exc)` is shown to the user (translated)."""


def group_open(
    *,
    creator: User,
    language: str,
    level: str,
    topic: Topic | None = None,
    assignment: Assignment | None = None,
    max_members: int = MAX_MEMBERS,
    invited: Sequence[User] = (),
) -> GroupRoom:
    """A new open room. A learner opens one for friends (and joins it through `group_join`);
    a teacher opens one from their assignment, whose topic and class language it takes, and
    may name the learners of the class it is for (`invited`, who see it on their group page).
    The creator is not made a member here."""
    if assignment is not None:
        if assignment.classroom.teacher_id != creator.pk:
            raise GroupRefused(_("Only the class's teacher can open a room for this assignment."))
        if assignment.classroom.archived_at is not None or assignment.archived_at is not None:
            raise GroupRefused(_("This assignment is archived."))
        topic, language = assignment.topic, assignment.classroom.language
    if topic is not None and topic.language != language:
        raise GroupRefused(_("The topic is in another language than the room."))
    if not MIN_MEMBERS <= max_members <= MAX_MEMBERS:
        raise GroupRefused(
            _("A group has %(min)s to %(max)s learners.") % {"min": MIN_MEMBERS, "max": MAX_MEMBERS}
        )
    if level not in Level.values:
        raise GroupRefused(_("Choose a level from A1 to C2."))
    recent = GroupRoom.objects.filter(
        created_by=creator,
        status=GroupRoom.Status.OPEN,
        created_at__gte=timezone.now() - OPEN_ROOMS_WINDOW,
    )
    if recent.count() >= OPEN_ROOMS_PER_CREATOR:
        raise GroupRefused(
            _("You already have %(n)s open group rooms. End one before opening another.")
            % {"n": OPEN_ROOMS_PER_CREATOR}
        )
    if len(invited) > max_members:
        raise GroupRefused(_("Invite at most %(n)s learners.") % {"n": max_members})
    if assignment is not None and any(
        not Membership.objects.filter(classroom_id=assignment.classroom_id, learner=user).exists()
        for user in invited
    ):
        raise GroupRefused(_("Invite only learners of this class."))
    room = GroupRoom.objects.create(
        language=language,
        level=level,
        topic=topic,
        assignment=assignment,
        created_by=creator,
        max_members=max_members,
    )
    room.invited.set(invited)
    return room


def group_join(*, room: GroupRoom, learner: User | None, ip: str | None = None) -> GroupMember:
    """Join `room`, or come back to it: a learner who had joined gets the same member and
    conversation back, present again, even when the room is full. A new member gets their own
    conversation (kind `group`) on the room's language, level, topic and assignment; it counts
    towards their own start limit (`lessons.services.limits`)."""
    if learner is None or not learner.is_authenticated:
        raise GroupRefused(_("Sign in (or sign up, it's free) to join a group conversation."))
    if learner.role != Role.LEARNER:
        raise GroupRefused(_("Only learners can join a group conversation."))
    with transaction.atomic():
        # The room's row lock orders joins, so two learners cannot both take the last seat.
        locked = GroupRoom.objects.select_for_update().get(pk=room.pk)
        if locked.status != GroupRoom.Status.OPEN:
            raise GroupRefused(_("This group conversation has ended."))
        member = GroupMember.objects.filter(room=locked, learner=learner).first()
        if member is not None:
            if member.left_at is not None:
                member.left_at = None
                member.save(update_fields=["left_at"])
            _resume(member.conversation_id)
            return member
        _check_newcomer(locked, learner)
        conversation = conversation_start(
            learner=learner,
            topic=locked.topic,
            assignment=locked.assignment,
            ip=ip,
            language=locked.language,
            level=locked.level,
            kind=Conversation.Kind.GROUP,
        )
        conversation.group_room = locked
        conversation.save(update_fields=["group_room"])
        return GroupMember.objects.create(room=locked, learner=learner, conversation=conversation)


def _resume(conversation_id: UUID) -> None:
    """A member back in an open room after their copy was swept (away longer than the
    reconnect grace with nothing written to it): the same conversation goes on, active again."""
    Conversation.objects.filter(pk=conversation_id).exclude(
        status=Conversation.Status.ACTIVE
    ).update(
        status=Conversation.Status.ACTIVE,
        ended_at=None,
        end_reason="",
        last_activity_at=timezone.now(),
    )


def _check_newcomer(room: GroupRoom, learner: User) -> None:
    if learner.target_language != room.language:
        raise GroupRefused(
            _("This group speaks %(language)s, and you are learning another language.")
            % {"language": room.get_language_display()}
        )
    if room.members.count() >= room.max_members:
        raise GroupRefused(_("This group is full."))
    if room.assignment_id is not None:
        classroom_id = room.assignment.classroom_id  # type: ignore[union-attr]
        if not Membership.objects.filter(classroom_id=classroom_id, learner=learner).exists():
            raise GroupRefused(_("This group is for the learners of one class."))


def group_leave(*, room_id: UUID, learner_id: int) -> None:
    """The learner is away (left, or their last socket closed); the room goes on without them
    and they may come back (`group_join`)."""
    GroupMember.objects.filter(room_id=room_id, learner_id=learner_id, left_at=None).update(
        left_at=timezone.now()
    )


def group_end(*, room_id: UUID, reason: str) -> GroupRoom:
    """End the room and every member's conversation, with `reason` as each one's end reason.
    Once: a second call finds it ended and changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        room = GroupRoom.objects.select_for_update().get(pk=room_id)
        if room.status == GroupRoom.Status.OPEN:
            room.status, room.ended_at = GroupRoom.Status.ENDED, now
            room.save(update_fields=["status", "ended_at"])
        GroupMember.objects.filter(room=room, left_at=None).update(left_at=now)
        for conversation_id in room.members.values_list("conversation_id", flat=True):
            conversation_finish(conversation_id=conversation_id, reason=reason, ended_at=now)
    return room


def group_record_turn(
    *,
    room_id: UUID,
    speaker_learner_id: int | None,
    text: str,
    started_ms: int,
    ended_ms: int,
    interrupted: bool = False,
    source: str = Turn.Source.SPEECH,
) -> dict[int, Turn]:
    """Write one line said in the room to every member's conversation, present or away:
    `learner` in the speaker's copy, `peer` (with their name) in the others', `tutor` for
    everyone when `speaker_learner_id` is None. One transaction; each copy takes its own next
    ordinal. Returns each member's turn by learner id. Times are the room's clock."""
    with transaction.atomic():
        members = list(
            GroupMember.objects.filter(room_id=room_id)
            .select_related("learner")
            .order_by("pk")  # one locking order for every writer
        )
        speaker = next((m for m in members if m.learner_id == speaker_learner_id), None)
        if speaker_learner_id is not None and speaker is None:
            raise ValueError(f"learner {speaker_learner_id} is not in room {room_id}")
        turns = {}
        for member in members:
            role, name = _speaker_for(member, speaker)
            turns[member.learner_id] = conversation_record_turn(
                conversation_id=member.conversation_id,
                speaker=role,
                speaker_name=name,
                text=text,
                started_ms=started_ms,
                ended_ms=ended_ms,
                interrupted=interrupted,
                source=source,
            )
    return turns


def _speaker_for(member: GroupMember, speaker: GroupMember | None) -> tuple[str, str]:
    if speaker is None:
        return Turn.Speaker.TUTOR, ""
    if speaker.pk == member.pk:
        return Turn.Speaker.LEARNER, ""
    return Turn.Speaker.PEER, speaker.learner.name


def group_amend_turn(
    *, room_id: UUID, ordinals: dict[int, int], text: str, started_ms: int, ended_ms: int
) -> None:
    """Complete a line's text in every copy (late transcription, as
    `conversation_amend_turn`); `ordinals` is what `group_record_turn` returned, as
    {learner id: ordinal}."""
    members = GroupMember.objects.filter(room_id=room_id, learner_id__in=list(ordinals))
    with transaction.atomic():
        for learner_id, conversation_id in members.values_list("learner_id", "conversation_id"):
            conversation_amend_turn(
                conversation_id=conversation_id,
                ordinal=ordinals[learner_id],
                text=text,
                started_ms=started_ms,
                ended_ms=ended_ms,
            )


def _own_turn(room_id: UUID, learner_id: int, turn_ordinal: int) -> Turn | None:
    """The learner's own line `turn_ordinal` in their copy; None for any other line (a note
    on a peer's or the tutor's line is nobody's correction)."""
    return Turn.objects.filter(
        conversation__group_member__room_id=room_id,
        conversation__learner_id=learner_id,
        ordinal=turn_ordinal,
        speaker=Turn.Speaker.LEARNER,
    ).first()


def group_note_correction(
    *,
    room_id: UUID,
    learner_id: int,
    turn_ordinal: int,
    original: str,
    corrected: str,
    explanation: str = "",
    kind: str = Correction.Kind.GRAMMAR,
) -> Correction | None:
    """A correction of the learner's own line, stored in their copy only (and their card)."""
    turn = _own_turn(room_id, learner_id, turn_ordinal)
    if turn is None:
        return None
    return conversation_record_correction(
        turn_id=turn.pk, original=original, corrected=corrected, explanation=explanation, kind=kind
    )


def group_note_upgrade(
    *,
    room_id: UUID,
    learner_id: int,
    turn_ordinal: int,
    original: str,
    upgraded: str,
    explanation: str = "",
) -> Upgrade | None:
    """ "Say it better" for the learner's own line, in their copy only."""
    turn = _own_turn(room_id, learner_id, turn_ordinal)
    if turn is None:
        return None
    return conversation_record_upgrade(
        turn_id=turn.pk, original=original, upgraded=upgraded, explanation=explanation
    )


def group_note_phrase(
    *,
    room_id: UUID,
    learner_id: int,
    text: str,
    translation: str = "",
    turn_ordinal: int | None = None,
) -> Phrase | None:
    """A useful phrase for one learner, in their copy and deck only."""
    member = GroupMember.objects.filter(room_id=room_id, learner_id=learner_id).first()
    if member is None:
        return None
    turn_id = None
    if turn_ordinal is not None:
        turn_id = (
            Turn.objects.filter(conversation_id=member.conversation_id, ordinal=turn_ordinal)
            .values_list("pk", flat=True)
            .first()
        )
    return conversation_record_phrase(
        conversation_id=member.conversation_id,
        text=text,
        translation=translation,
        turn_id=turn_id,
    )
