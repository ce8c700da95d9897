"""The emulator's group moderator (tutor/emulator/group.py) over the real group prompt."""

from __future__ import annotations

import pytest

from tutor.emulator.dialogue import apply_instruction, new_state, plan_greeting, plan_spoken
from tutor.emulator.group import lines_for, read_room
from tutor.emulator.roleplay.lines import LANGUAGES
from tutor.prompts import (
    LearnerBrief,
    TopicBrief,
    build_system_instruction,
    placement_instruction,
)
from tutor.prompts.group import GroupMemberBrief, MemberTalk, build_group_instruction, room_state

MEMBERS = [
    GroupMemberBrief(1, "Ana", "en"),
    GroupMemberBrief(2, "Bea", "de"),
    GroupMemberBrief(3, "Ciro", "it"),
]


def with_room(lang: str, holder: int, talk: dict[int, int]) -> str:
    state = room_state(
        members=MEMBERS, talk=[MemberTalk(k, v) for k, v in talk.items()], holder=holder
    )
    return build_group_instruction(language=lang, level="B1", members=MEMBERS, room=state)


def test_only_a_group_instruction_makes_a_room() -> None:
    learner = LearnerBrief("Alice", "es", "en", "A2", "recast")
    assert read_room(build_system_instruction(learner=learner, topic=None)) is None
    assert read_room(placement_instruction(learner)) is None
    room = read_room(with_room("es", 2, {1: 3000, 2: 1000}))
    assert room is not None
    assert room.members == ["Ana", "Bea", "Ciro"]
    assert (room.speaker, room.quietest) == ("Bea", "Ciro")
    assert room.shares == {"Ana": 75, "Bea": 25, "Ciro": 0}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_greets_everyone_and_answers_the_speaker_by_name(lang: str) -> None:
    state = new_state(None, build_group_instruction(language=lang, level="B1", members=MEMBERS))
    assert state.lang == lang and state.group is not None and state.scene is None
    greeting = plan_greeting(state).reply
    assert all(name in greeting for name in ("Ana", "Bea", "Ciro"))
    apply_instruction(state, with_room(lang, 1, {1: 5000, 2: 4000, 3: 100}))
    first = plan_spoken(state)
    lines = lines_for(lang)
    assert first.reply.startswith(lines.thanks.format(name="Ana"))
    assert first.reply.endswith(lines.invite.format(name="Ciro"))  # the quietest is invited
    assert first.correction is not None and first.correction["original"] == first.heard
    apply_instruction(state, with_room(lang, 2, {1: 5000, 2: 4000, 3: 100}))
    second = plan_spoken(state)
    assert second.reply.startswith(lines.thanks.format(name="Bea"))
    # Learners respond to each other, and it is the quietest who is asked, not Ana, who spoke
    # last: asking her again would give the most talk time to whoever has most already.
    assert second.reply.endswith(lines.agree.format(other="Ciro", speaker="Bea"))
    assert lines.agree.format(other="Ana", speaker="Bea") not in second.reply


def _invited(lang: str, reply: str) -> str:
    """Whom a moderated reply hands the floor to: its invitation, or its question to one
    learner about what another said."""
    lines = lines_for(lang)
    names = [m.display_name for m in MEMBERS]
    for name in names:
        asks = [lines.agree.format(other=name, speaker=other) for other in names]
        if reply.endswith(lines.invite.format(name=name)) or any(map(reply.endswith, asks)):
            return name
    raise AssertionError(f"nobody invited: {reply}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_following_the_moderator_evens_out_the_talk_time(lang: str) -> None:
    """Whoever the moderator hands the floor to speaks next, as long as anyone: every learner
    gets the same number of turns, and nobody is handed it twice running."""
    state = new_state(None, build_group_instruction(language=lang, level="B1", members=MEMBERS))
    plan_greeting(state)
    talk = {m.member_id: 0 for m in MEMBERS}
    ids = {m.display_name: m.member_id for m in MEMBERS}
    speaker, turns = 1, []
    for _ in range(12):
        turns.append(speaker)
        apply_instruction(state, with_room(lang, speaker, talk))
        talk[speaker] += 3000
        following = ids[_invited(lang, plan_spoken(state).reply)]
        assert following != speaker
        speaker = following
    assert sorted(turns.count(m) for m in ids.values()) == [4, 4, 4], turns


def test_a_learner_who_is_away_is_never_invited() -> None:
    """ROOM NOW lists a share for each present learner only: Ciro, away, has none."""
    here = MEMBERS[:2]
    state = room_state(members=here, talk=[MemberTalk(1, 9000), MemberTalk(2, 8000)], holder=1)
    text = build_group_instruction(language="es", level="B1", members=MEMBERS, room=state)
    session = new_state(None, text)
    plan_greeting(session)
    for _ in range(3):
        reply = plan_spoken(session).reply
        assert "Ciro" not in reply and "Bea" in reply, reply


def test_the_speaker_is_never_invited_as_the_quietest() -> None:
    state = new_state(None, with_room("es", 3, {1: 5000, 2: 4000, 3: 100}))
    plan_greeting(state)
    reply = plan_spoken(state).reply
    assert reply.startswith("Gracias, Ciro.") and "Bea, ¿y tú?" in reply


def test_a_group_on_a_topic_hears_the_topic_in_the_greeting() -> None:
    topic = TopicBrief(
        title="At the market",
        scenario="A market.",
        tutor_role="a fruit seller",
        learner_goal="buy fruit",
        target_phrases=["Quiero un kilo de manzanas"],
    )
    text = build_group_instruction(language="es", level="A2", members=MEMBERS, topic=topic)
    state = new_state(None, text)
    assert state.scene is None  # the group's moderator, not a one-learner scene
    greeting = plan_greeting(state).reply
    assert "At the market" in greeting and greeting.endswith("Ana, ¿cómo estás hoy?")
