"""Rooms and members for the group tests: alice (bob's class, Spanish A2) and two more
Spanish learners, dani and eva, who are in no class."""

from __future__ import annotations

from accounts.models import User
from lessons.models import GroupMember, GroupRoom
from lessons.services import groups
from tests.base import make_user


def learner(email: str, **fields: object) -> User:
    return make_user(email, **fields)


def room_of(*members: User, creator: User | None = None, **fields: object) -> GroupRoom:
    """An open Spanish A2 room that `members` joined in this order."""
    opener = creator or members[0]
    values: dict[str, object] = {"language": "es", "level": "A2"}
    values.update(fields)
    room = groups.group_open(creator=opener, **values)  # type: ignore[arg-type]
    for member in members:
        groups.group_join(room=room, learner=member)
    return room


def member(room: GroupRoom, user: User) -> GroupMember:
    return GroupMember.objects.select_related("conversation").get(room=room, learner=user)
