"""What a group room needs from Gemini: its Live settings, and its instruction, which is sent
again each time the floor passes with the room's state at its end (`tutor.prompts.group`: who
speaks, who waits, each present member's share of talk time).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings

from lessons.models import GroupMember, GroupRoom, Turn
from tutor.group.fanout import Member
from tutor.live.config import LiveSettings
from tutor.prompts import TOOL_DECLARATIONS, TopicBrief, choose_voice, speech_language_code
from tutor.prompts.group import (
    GroupMemberBrief,
    MemberTalk,
    build_group_instruction,
    group_opener_text,
    room_state,
)

# (members, holder, queue, talk ms by member) -> the whole instruction
Instruction = Callable[[Sequence[Member], int | None, Sequence[int], dict[int, int]], str]


def _topic(room: GroupRoom) -> TopicBrief | None:
    topic = room.topic
    if topic is None:
        return None
    return TopicBrief(
        title=topic.title,
        scenario=topic.scenario,
        tutor_role=topic.tutor_role,
        learner_goal=topic.learner_goal,
        target_phrases=list(topic.target_phrases),
        grammar_focus=topic.grammar_focus,
        opener=topic.opener,
        persona_name=topic.persona_name,
    )


def _briefs(members: Sequence[Member]) -> list[GroupMemberBrief]:
    return [GroupMemberBrief(m.id, m.name, m.native_language) for m in members]


def room_instruction(room: GroupRoom) -> Instruction:
    topic = _topic(room)

    def instruction(
        members: Sequence[Member], holder: int | None, queue: Sequence[int], talk: dict[int, int]
    ) -> str:
        everyone = _briefs(members)
        here = [b for b, m in zip(everyone, members, strict=True) if m.present] or everyone
        state = room_state(
            members=here,
            talk=[MemberTalk(member_id, ms) for member_id, ms in talk.items()],
            holder=holder,
            queue=queue,
        )
        return build_group_instruction(
            language=room.language, level=room.level, members=everyone, topic=topic, room=state
        )

    return instruction


def live_settings(
    room: GroupRoom, members: Sequence[Member], *, history: list[tuple[str, str]] | None = None
) -> tuple[LiveSettings, Instruction]:
    """With `history` (the room's lines so far, from a process that had the room and died)
    the room goes on without a second greeting."""
    instruction = room_instruction(room)
    opener = group_opener_text(
        language=room.language, level=room.level, members=_briefs(members), topic=_topic(room)
    )
    topic = room.topic
    live = LiveSettings(
        model=settings.GEMINI_LIVE_MODEL,
        system_instruction=instruction(members, None, (), {}),
        voice=choose_voice(room.language, topic.voice if topic else ""),
        language_code=speech_language_code(room.language),
        tools=list(TOOL_DECLARATIONS),
        history=tuple(history or ()),
        opener=None if history else opener,
        connect_timeout=float(settings.GEMINI_CONNECT_TIMEOUT),
    )
    return live, instruction


def room_history(room: GroupRoom) -> list[tuple[str, str]]:
    """The room's lines so far, for a Live session that takes a room over from a process
    that died: the first member's copy, each learner line with its speaker's name."""
    first = GroupMember.objects.filter(room=room).select_related("learner").first()
    if first is None:
        return []
    turns = Turn.objects.filter(conversation_id=first.conversation_id).order_by("ordinal")
    lines = []
    for speaker, name, text in turns.values_list("speaker", "speaker_name", "text"):
        if speaker == Turn.Speaker.TUTOR:
            lines.append(("tutor", text))
        else:
            lines.append(("learner", f"{name or first.learner.name}: {text}"))
    return lines
