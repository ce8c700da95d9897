"""The group tutor's system instruction (a moderator, not a lecturer) and its ROOM NOW section.

One Live session serves a whole room (docs/groups.md). The instruction is built once per room
from the same pieces as a learner's own (`builder.py`: language, level guidance, correction
style, topic section, the same three tools), with the members' names and native languages and
per-level moderation (`text/group/`). Whenever the floor passes, the server sends the
instruction again with `room_state(...)` at its end as a Live context update
(docs/gemini-live.md, "Who is speaking: context updates in a group"): who holds the floor and
each member's share of talk time, so the model can address the speaker by name and invite the
quietest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tutor.prompts.builder import (
    CEFR_LEVELS,
    CORRECTION_STYLES,
    NAME_LIMIT,
    CorrectionStyle,
    TopicBrief,
    _choose,
    _one_line,
    _spoken_list,
    _topic_context,
    _topic_section,
)
from tutor.prompts.languages import get_language, native_language_name
from tutor.prompts.templates import free_talk_subjects, render


@dataclass(frozen=True)
class GroupMemberBrief:
    member_id: int  # the learner's id, as the floor and the socket frames use it
    display_name: str
    native_language: str  # ISO 639-1 code, in LANGUAGES or OTHER_NATIVE_LANGUAGES


@dataclass(frozen=True)
class MemberTalk:
    member_id: int
    talk_ms: int  # voiced audio of theirs that went up as floor holder (tutor.group.floor)


def build_group_instruction(
    *,
    language: str,
    level: str,
    members: Sequence[GroupMemberBrief],
    topic: TopicBrief | None = None,
    correction_style: CorrectionStyle = "recast",
    room: str = "",
) -> str:
    """The whole instruction for a room; `room` is `room_state(...)`, appended last when
    given (the context update's form)."""
    if not members:
        raise ValueError("a group instruction needs at least one member")
    context = _context(language, level, members, topic, correction_style)
    # The shared level and correction texts speak of one learner: in a room, "a learner" and
    # their own language (A2's "a single X word" is the one phrase that needs rewording).
    one = context | {"learner_name": "a learner", "native_language": "their own language"}
    level_section = render(f"levels/{context['level']}.txt", **one)
    context["level_section"] = level_section.replace(
        "a single their own language word", "a single word of their own language"
    )
    context["correction_section"] = render(f"corrections/{context['style']}.txt", **one)
    context["moderation_section"] = render(f"group/moderation/{context['level']}.txt")
    context["topic_section"] = _topic_section(topic, context | {"learner_name": "each learner"})
    context["room_section"] = f"\n\n{room}" if room else ""
    return render("group/base.txt", **context)


def group_opener_text(
    *, language: str, level: str, members: Sequence[GroupMemberBrief], topic: TopicBrief | None
) -> str:
    """The text turn that makes the tutor speak first: greet everyone, ask one of them."""
    context = _context(language, level, members, topic, "recast")
    subject = f'the topic "{context["title"]}"' if topic else "an everyday subject"
    return render("group/opener.txt", **context, subject=subject)


def room_state(
    *,
    members: Sequence[GroupMemberBrief],
    talk: Sequence[MemberTalk],
    holder: int | None,
    queue: Sequence[int] = (),
) -> str:
    """The ROOM NOW section: who holds the floor, who waits, each present member's share of
    talk time so far (whole percent) and who has said least. `members` are those present."""
    names = {m.member_id: _name(m) for m in members}
    talk_ms = {t.member_id: t.talk_ms for t in talk}
    total = sum(talk_ms.get(member_id, 0) for member_id in names)
    shares = "\n".join(
        f"- {name}: {_share(talk_ms.get(member_id, 0), total, len(names))}%"
        for member_id, name in names.items()
    )
    # The quietest: least talk so far; a tie goes to whoever joined first (members' order).
    quietest = min(names, key=lambda member_id: talk_ms.get(member_id, 0)) if names else None
    return render(
        "group/room.txt",
        holder=names.get(holder, "nobody") if holder is not None else "nobody",
        queue=", ".join(names[m] for m in queue if m in names) or "nobody",
        shares=shares,
        quietest=names[quietest] if quietest is not None else "nobody",
    )


def _share(ms: int, total: int, count: int) -> int:
    # Before anyone has spoken, everyone's share is equal, not zero.
    return round(100 * ms / total) if total else round(100 / max(count, 1))


def _name(member: GroupMemberBrief) -> str:
    return _one_line(member.display_name, NAME_LIMIT) or f"Learner {member.member_id}"


def _context(
    language: str,
    level: str,
    members: Sequence[GroupMemberBrief],
    topic: TopicBrief | None,
    correction_style: str,
) -> dict[str, str]:
    target = get_language(language)
    level = _choose(topic.level if topic else None, level, CEFR_LEVELS, "CEFR level")
    style = _choose(
        topic.correction_style if topic else None,
        correction_style,
        CORRECTION_STYLES,
        "correction style",
    )
    names = [_name(m) for m in members]
    context = {
        "member_names": names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}",
        # One learner per line, "- Name (native language: X)": the list the model reads, and
        # the one the offline emulator reads the room from (tutor/emulator/group.py).
        "member_lines": "\n".join(
            f"- {name} (native language: {native_language_name(m.native_language)})"
            for name, m in zip(names, members, strict=True)
        ),
        "target_language": target.name,
        "level": level,
        "upgrade_level": CEFR_LEVELS[min(CEFR_LEVELS.index(level) + 1, len(CEFR_LEVELS) - 1)],
        "style": style,
        "backchannels": _spoken_list(f'"{word}"' for word in target.backchannels),
        "free_talk_subjects": free_talk_subjects()[level],
    }
    return context | (_topic_context(topic) if topic else {})
