"""lessons/services/groups.py on the real database: joining and its refusals, the fan-out of
every line to each member's own conversation, notes only in the speaker's copy, ending."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import User
from lessons.models import Assignment, Conversation, Correction, GroupMember, Phrase, Turn
from lessons.services import groups
from lessons.services.totals import conversations_recount
from tests.base import Personas, make_topic
from tests.lessons.groups.helpers import learner, member, room_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def dani(db: None) -> User:
    return learner("dani@example.org")


@pytest.fixture
def eva(db: None) -> User:
    return learner("eva@example.org")


def test_each_member_gets_their_own_group_conversation(alice: User, dani: User) -> None:
    topic = make_topic()
    room = room_of(alice, dani, topic=topic)
    for user in (alice, dani):
        conversation = member(room, user).conversation
        assert conversation.learner == user
        assert conversation.kind == Conversation.Kind.GROUP
        assert conversation.group_room == room
        assert (conversation.language, conversation.level, conversation.topic) == (
            "es",
            "A2",
            topic,
        )
    assert member(room, alice).conversation != member(room, dani).conversation


def test_a_line_is_the_speakers_own_and_a_peer_line_for_everyone_else(
    alice: User, dani: User, eva: User
) -> None:
    room = room_of(alice, dani, eva)
    groups.group_record_turn(
        room_id=room.pk, speaker_learner_id=None, text="¡Hola a todos!", started_ms=0, ended_ms=900
    )
    turns = groups.group_record_turn(
        room_id=room.pk,
        speaker_learner_id=dani.pk,
        text="Me gusta el cine",
        started_ms=1000,
        ended_ms=3000,
    )
    assert set(turns) == {alice.pk, dani.pk, eva.pk}
    assert (turns[dani.pk].speaker, turns[dani.pk].speaker_name) == ("learner", "")
    for other in (alice, eva):
        assert (turns[other.pk].speaker, turns[other.pk].speaker_name) == ("peer", "Dani")
        assert turns[other.pk].conversation_id == member(room, other).conversation_id
    copies = Turn.objects.filter(conversation__group_room=room)
    assert copies.filter(speaker="tutor").count() == 3
    assert {t.ordinal for t in turns.values()} == {1}


def test_a_peer_line_counts_for_nobodys_words_or_time(alice: User, dani: User) -> None:
    room = room_of(alice, dani)
    groups.group_record_turn(
        room_id=room.pk, speaker_learner_id=alice.pk, text="Yo soy Alicia", started_ms=0,
        ended_ms=1500,
    )  # fmt: skip
    groups.group_record_turn(
        room_id=room.pk, speaker_learner_id=None, text="Muy bien", started_ms=1600, ended_ms=2000
    )
    mine, theirs = member(room, alice).conversation, member(room, dani).conversation
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.learner_words, mine.learner_turn_ms, mine.tutor_turn_ms) == (3, 1500, 400)
    assert (theirs.learner_words, theirs.learner_turn_ms, theirs.tutor_turn_ms) == (0, 0, 400)
    # Rebuilding from the rows agrees with the running totals.
    conversations_recount([mine.pk, theirs.pk])
    theirs.refresh_from_db()
    assert (theirs.learner_words, theirs.learner_turn_ms, theirs.tutor_turn_ms) == (0, 0, 400)


def test_ordinals_follow_each_copy_for_a_latecomer(alice: User, dani: User, eva: User) -> None:
    room = room_of(alice, dani)
    for text in ("Uno", "Dos"):
        groups.group_record_turn(
            room_id=room.pk, speaker_learner_id=None, text=text, started_ms=0, ended_ms=10
        )
    groups.group_join(room=room, learner=eva)
    turns = groups.group_record_turn(
        room_id=room.pk, speaker_learner_id=eva.pk, text="Hola", started_ms=20, ended_ms=30
    )
    assert (turns[alice.pk].ordinal, turns[eva.pk].ordinal) == (2, 0)


def test_a_correction_and_a_phrase_go_only_to_the_speakers_copy(alice: User, dani: User) -> None:
    room = room_of(alice, dani)
    turns = groups.group_record_turn(
        room_id=room.pk, speaker_learner_id=dani.pk, text="Yo es Dani", started_ms=0, ended_ms=9
    )
    correction = groups.group_note_correction(
        room_id=room.pk,
        learner_id=dani.pk,
        turn_ordinal=turns[dani.pk].ordinal,
        original="Yo es",
        corrected="Yo soy",
        kind="grammar",
    )
    assert correction is not None and correction.turn == turns[dani.pk]
    assert Correction.objects.filter(turn__conversation__group_room=room).count() == 1
    # Alice's copy of the same line is a peer's: no correction can land there.
    assert (
        groups.group_note_correction(
            room_id=room.pk,
            learner_id=alice.pk,
            turn_ordinal=turns[alice.pk].ordinal,
            original="Yo es",
            corrected="Yo soy",
        )
        is None
    )
    groups.group_note_phrase(
        room_id=room.pk, learner_id=dani.pk, text="¿Y tú?", translation="And you?"
    )
    assert set(Phrase.objects.values_list("learner_id", "text")) == {
        (dani.pk, "Yo soy"),
        (dani.pk, "¿Y tú?"),
    }
    dani_copy = member(room, dani).conversation
    dani_copy.refresh_from_db()
    assert dani_copy.grammar_corrections == 1
    alice_copy = member(room, alice).conversation
    alice_copy.refresh_from_db()
    assert alice_copy.grammar_corrections == 0


def test_an_upgrade_only_on_the_speakers_own_line(alice: User, dani: User) -> None:
    room = room_of(alice, dani)
    turns = groups.group_record_turn(
        room_id=room.pk, speaker_learner_id=alice.pk, text="Es bueno", started_ms=0, ended_ms=9
    )
    ordinal = turns[alice.pk].ordinal
    note = {"original": "Es bueno", "upgraded": "Me encanta"}
    assert (
        groups.group_note_upgrade(room_id=room.pk, learner_id=dani.pk, turn_ordinal=ordinal, **note)
        is None
    )
    upgrade = groups.group_note_upgrade(
        room_id=room.pk, learner_id=alice.pk, turn_ordinal=ordinal, **note
    )
    assert upgrade is not None and upgrade.turn == turns[alice.pk]


def test_a_speaker_who_is_not_a_member_is_refused(alice: User, dani: User, eva: User) -> None:
    room = room_of(alice, dani)
    with pytest.raises(ValueError):
        groups.group_record_turn(
            room_id=room.pk, speaker_learner_id=eva.pk, text="Hola", started_ms=0, ended_ms=1
        )
    assert not Turn.objects.exists()


def test_rejoining_keeps_the_member_and_their_conversation(alice: User, dani: User) -> None:
    room = room_of(alice, dani)
    before = member(room, dani)
    groups.group_leave(room_id=room.pk, learner_id=dani.pk)
    assert member(room, dani).left_at is not None
    assert member(room, alice).left_at is None
    again = groups.group_join(room=room, learner=dani)
    assert (again.pk, again.conversation_id, again.left_at) == (
        before.pk,
        before.conversation_id,
        None,
    )
    assert Conversation.objects.filter(learner=dani).count() == 1


def test_lines_said_while_a_member_is_away_still_reach_their_copy(alice: User, dani: User) -> None:
    room = room_of(alice, dani)
    groups.group_leave(room_id=room.pk, learner_id=dani.pk)
    turns = groups.group_record_turn(
        room_id=room.pk, speaker_learner_id=alice.pk, text="¿Dani?", started_ms=0, ended_ms=5
    )
    assert turns[dani.pk].speaker == "peer"


def test_join_refusals_say_why(personas: Personas, alice: User, dani: User, eva: User) -> None:
    room = room_of(alice, dani, max_members=2)
    with pytest.raises(groups.GroupRefused, match="full"):
        groups.group_join(room=room, learner=eva)
    french = learner("fabien@example.org", target_language="fr")
    with pytest.raises(groups.GroupRefused, match="Spanish"):
        groups.group_join(room=room_of(alice), learner=french)
    with pytest.raises(groups.GroupRefused, match="Sign in"):
        groups.group_join(room=room, learner=None)
    with pytest.raises(groups.GroupRefused, match="Only learners"):
        groups.group_join(room=room_of(alice), learner=personas.bob)
    groups.group_end(room_id=room.pk, reason="ended")
    with pytest.raises(groups.GroupRefused, match="ended"):
        groups.group_join(room=room, learner=dani)  # not even a member comes back in
    assert not GroupMember.objects.filter(learner__in=[eva, french, personas.bob]).exists()


def test_an_assignment_room_takes_its_topic_and_only_its_class(
    personas: Personas, alice: User, dani: User
) -> None:
    topic = make_topic()
    assignment = Assignment.objects.create(
        classroom=personas.classroom,
        topic=topic,
        due_at=timezone.now() + timezone.timedelta(days=3),
    )
    room = groups.group_open(creator=personas.bob, language="fr", level="A2", assignment=assignment)
    assert (room.language, room.topic, room.assignment) == ("es", topic, assignment)
    joined = groups.group_join(room=room, learner=alice)
    assert joined.conversation.assignment == assignment
    with pytest.raises(groups.GroupRefused, match="class"):
        groups.group_join(room=room, learner=dani)
    with pytest.raises(groups.GroupRefused, match="teacher"):
        groups.group_open(creator=dani, language="es", level="A2", assignment=assignment)


def test_a_creator_has_a_few_open_rooms_at_most(alice: User) -> None:
    for _ in range(groups.OPEN_ROOMS_PER_CREATOR):
        groups.group_open(creator=alice, language="es", level="A2")
    with pytest.raises(groups.GroupRefused, match="open group rooms"):
        groups.group_open(creator=alice, language="es", level="A2")


def test_joining_counts_towards_the_learners_start_limit(settings, alice: User, dani: User) -> None:
    settings.CONVERSATION_STARTS_PER_HOUR = 1
    groups.group_open(creator=alice, language="es", level="A2")
    room = room_of(dani, creator=alice)
    groups.group_join(room=room, learner=alice)  # her first start this hour
    with pytest.raises(groups.LimitExceeded):
        groups.group_join(room=room_of(dani), learner=alice)


def test_ending_finishes_every_members_conversation_once(alice: User, dani: User) -> None:
    room = room_of(alice, dani)
    groups.group_leave(room_id=room.pk, learner_id=dani.pk)
    groups.group_end(room_id=room.pk, reason="teacher ended")
    groups.group_end(room_id=room.pk, reason="again")
    room.refresh_from_db()
    assert room.status == "ended" and room.ended_at is not None
    for user in (alice, dani):
        conversation = member(room, user).conversation
        assert (conversation.status, conversation.end_reason) == ("ended", "teacher ended")
        assert member(room, user).left_at is not None


def test_amending_a_line_completes_every_copy(alice: User, dani: User) -> None:
    room = room_of(alice, dani)
    turns = groups.group_record_turn(
        room_id=room.pk, speaker_learner_id=alice.pk, text="Me gusta", started_ms=0, ended_ms=500
    )
    groups.group_amend_turn(
        room_id=room.pk,
        ordinals={k: t.ordinal for k, t in turns.items()},
        text="Me gusta mucho el cine",
        started_ms=0,
        ended_ms=1500,
    )
    mine, theirs = member(room, alice).conversation, member(room, dani).conversation
    assert {t.text for t in Turn.objects.filter(conversation__group_room=room)} == {
        "Me gusta mucho el cine"
    }
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.learner_words, mine.learner_turn_ms) == (5, 1500)
    assert (theirs.learner_words, theirs.learner_turn_ms) == (0, 0)


def test_a_member_back_after_their_copy_was_swept_goes_on_in_it(alice: User, dani: User) -> None:
    room = room_of(alice, dani)
    groups.group_leave(room_id=room.pk, learner_id=dani.pk)
    copy = member(room, dani).conversation
    Conversation.objects.filter(pk=copy.pk).update(
        status="ended", end_reason="abandoned", ended_at=timezone.now()
    )
    again = groups.group_join(room=room, learner=dani)
    copy.refresh_from_db()
    assert again.conversation_id == copy.pk
    assert (copy.status, copy.ended_at, copy.end_reason) == ("active", None, "")


def test_the_sweep_ends_rooms_nobody_is_in_any_more(alice: User, dani: User) -> None:
    from lessons.services.sweep import ROOM_IDLE, conversations_sweep, group_rooms_sweep

    later = timezone.now() + ROOM_IDLE + timezone.timedelta(minutes=1)
    empty, busy, fresh = room_of(alice), room_of(dani), room_of(dani)
    GroupMember.objects.filter(room=fresh).delete()  # opened, nobody joined yet
    Conversation.objects.filter(group_member__room=empty).update(status="ended")
    assert group_rooms_sweep(now=timezone.now()) == []  # not idle long enough yet
    report = conversations_sweep(now=later)  # ends busy's stale copy too, then the rooms
    assert set(report.rooms_ended) == {empty.pk, busy.pk, fresh.pk}
    for room in (empty, busy, fresh):
        room.refresh_from_db()
        assert room.status == "ended"
    assert not GroupMember.objects.filter(left_at=None).exists()


def test_the_sweep_spares_a_room_with_someone_in_it(alice: User, dani: User) -> None:
    from lessons.services.sweep import ROOM_IDLE, group_rooms_sweep

    room = room_of(alice, dani)
    later = timezone.now() + ROOM_IDLE + timezone.timedelta(minutes=1)
    assert group_rooms_sweep(now=later) == []  # their copies are still active
    room.refresh_from_db()
    assert room.is_open
