"""lessons/selectors/groups.py: each member's talk time is their own lines only, their share is
over every member's, and a learner's progress sums their group conversations the same way."""

from __future__ import annotations

import pytest

from accounts.models import User
from lessons.models import GroupRoom
from lessons.selectors.groups import (
    conversation_group_talk,
    group_share,
    learner_rooms,
    member_talk,
    room_page,
    teacher_room,
    visible_rooms,
)
from lessons.services import groups
from tests.base import Personas
from tests.lessons.groups.helpers import learner, member, room_of
from tests.lessons.teaching import make_assignment

pytestmark = pytest.mark.django_db


def _say(room: GroupRoom, who: User | None, ms: int, text: str = "Hola qué tal") -> None:
    groups.group_record_turn(
        room_id=room.pk, speaker_learner_id=who.pk if who else None, text=text, started_ms=0,
        ended_ms=ms,
    )  # fmt: skip


def test_shares_are_each_members_own_talk_over_the_rooms(alice: User) -> None:
    dani, eva = learner("dani@example.org"), learner("eva@example.org")
    room = room_of(alice, dani, eva)
    _say(room, alice, 3000)
    _say(room, dani, 1000)
    _say(room, alice, 3000)
    _say(room, None, 9000)  # the tutor is nobody's share
    talk = {m.learner_id: m for m in member_talk(room)}
    assert {k: m.talk_ms for k, m in talk.items()} == {alice.pk: 6000, dani.pk: 1000, eva.pk: 0}
    assert {k: m.percent for k, m in talk.items()} == {alice.pk: 86, dani.pk: 14, eva.pk: 0}
    assert [m.name for m in member_talk(room)] == ["Alice", "Dani", "Eva"]  # order of joining


def test_nobody_has_a_share_before_anyone_speaks(alice: User) -> None:
    room = room_of(alice, learner("dani@example.org"))
    _say(room, None, 2000)
    assert [m.share for m in member_talk(room)] == [None, None]


def test_presence_and_corrections_per_member(alice: User) -> None:
    dani = learner("dani@example.org")
    room = room_of(alice, dani)
    turns = groups.group_record_turn(
        room_id=room.pk, speaker_learner_id=dani.pk, text="Yo es", started_ms=0, ended_ms=5
    )
    groups.group_note_correction(
        room_id=room.pk, learner_id=dani.pk, turn_ordinal=turns[dani.pk].ordinal,
        original="Yo es", corrected="Yo soy",
    )  # fmt: skip
    groups.group_leave(room_id=room.pk, learner_id=alice.pk)
    page = room_page(room, dani)
    assert [(m.name, m.present, m.corrections) for m in page.members] == [
        ("Alice", False, 0),
        ("Dani", True, 1),
    ]
    assert page.viewer_is_member and not page.can_end
    assert page.socket_path == f"/ws/groups/{room.pk}/"
    assert page.invite_path == f"/groups/join/{room.invite_token}/"
    assert room_page(room, alice).can_end  # she opened it


def test_a_learners_group_share_across_rooms(alice: User) -> None:
    dani = learner("dani@example.org")
    first, second = room_of(alice, dani), room_of(dani, alice)
    _say(first, alice, 1000)
    _say(first, dani, 3000)
    _say(second, alice, 2000)
    _say(second, dani, 2000)
    share = group_share(alice)
    assert (share.conversations, share.talk_ms, share.room_ms, share.percent) == (2, 3000, 8000, 38)
    mine = conversation_group_talk(member(first, alice).conversation)
    assert mine is not None and (mine.talk_ms, mine.percent) == (1000, 25)


def test_who_sees_which_room(personas: Personas) -> None:
    alice, bob, charlie = personas.alice, personas.bob, personas.charlie
    dani = learner("dani@example.org")
    friends = room_of(dani)
    homework = groups.group_open(
        creator=bob, language="es", level="A2", assignment=make_assignment(personas.classroom),
        invited=[alice],
    )  # fmt: skip
    assert set(visible_rooms(bob)) == {homework}
    assert set(visible_rooms(dani)) == {friends}
    assert set(visible_rooms(charlie)) == set()
    # alice was invited: the room is on her group page, its page is hers once she joins.
    assert [row.room for row in learner_rooms(alice)] == [homework]
    assert set(visible_rooms(alice)) == set()
    groups.group_join(room=homework, learner=alice)
    assert set(visible_rooms(alice)) == {homework}
    view = teacher_room(homework)
    assert list(view.review_urls) == [alice.pk]
