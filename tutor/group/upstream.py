"""What a group room needs from Gemini: its Live settings and its instruction, which changes
each time the floor passes (the room's state: who speaks, each member's share of talk time).

The room's instruction is the tutor's usual one for the room's topic and level, addressed to
its members, plus the room's state. TODO(merge): the moderator prompt of
`tutor.prompts.group` (gfloor) replaces `_moderator` once it lands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from lessons.models import GroupRoom
from tutor.live.config import LiveSettings
from tutor.prompts import (
    TOOL_DECLARATIONS,
    LearnerBrief,
    TopicBrief,
    build_system_instruction,
    choose_voice,
    opener_text,
    speech_language_code,
)

Instruction = Callable[[dict[str, Any]], str]


def _briefs(room: GroupRoom, names: list[str]) -> tuple[LearnerBrief, TopicBrief | None]:
    learner = LearnerBrief(
        display_name=", ".join(names),
        target_language=room.language,
        native_language="en",
        level=room.level,
        correction_style="recast",
    )
    topic = room.topic
    if topic is None:
        return learner, None
    return learner, TopicBrief(
        title=topic.title,
        scenario=topic.scenario,
        tutor_role=topic.tutor_role,
        learner_goal=topic.learner_goal,
        target_phrases=list(topic.target_phrases),
        grammar_focus=topic.grammar_focus,
        opener=topic.opener,
        persona_name=topic.persona_name,
    )


def _moderator(base: str, state: dict[str, Any]) -> str:
    lines = [base, "", "## The room now (a group conversation)"]
    for member in state["members"]:
        presence = "here" if member["present"] else "away"
        lines.append(f"- {member['name']}: {presence}, {member['share']:.0%} of the talk so far")
    holder = state.get("holder")
    lines.append(f"Speaking now: {holder}." if holder else "Nobody holds the floor.")
    lines.append("Address learners by name, invite the quietest one, keep the shares even.")
    return "\n".join(lines)


def room_instruction(room: GroupRoom, names: list[str]) -> Instruction:
    learner, topic = _briefs(room, names)
    base = build_system_instruction(learner=learner, topic=topic)
    return lambda state: _moderator(base, state)


def live_settings(
    room: GroupRoom, names: list[str], *, history: list[tuple[str, str]] | None = None
) -> tuple[LiveSettings, Instruction]:
    """With `history` (the room's lines so far, from another process that had it) the room
    goes on without a second greeting."""
    learner, topic = _briefs(room, names)
    instruction = room_instruction(room, names)
    state = {"holder": None, "members": [{"name": n, "present": True, "share": 0} for n in names]}
    live = LiveSettings(
        model=settings.GEMINI_LIVE_MODEL,
        system_instruction=instruction(state),
        voice=tutor_voice_for(room),
        language_code=speech_language_code(room.language),
        tools=list(TOOL_DECLARATIONS),
        history=tuple(history or ()),
        opener=None if history else opener_text(learner=learner, topic=topic),
        connect_timeout=float(settings.GEMINI_CONNECT_TIMEOUT),
    )
    return live, instruction


def tutor_voice_for(room: GroupRoom) -> str:
    if room.topic is not None:
        return choose_voice(room.language, room.topic.voice)
    return choose_voice(room.language, "")


__all__ = ["live_settings", "room_instruction"]
