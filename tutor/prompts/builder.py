"""The Gemini Live system instruction and opening trigger for one conversation."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tutor.prompts.languages import get_language, native_language_name
from tutor.prompts.templates import free_talk_subjects, render

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
CORRECTION_STYLES = ("none", "recast", "explain")
CorrectionStyle = Literal["none", "recast", "explain"]

# Names and topic texts come from learners and teachers. Folding them onto one line keeps them
# from opening new sections of the instruction; the caps bound what one field can add.
NAME_LIMIT = 60
FIELD_LIMIT = 1000


@dataclass(frozen=True)
class LearnerBrief:
    display_name: str
    target_language: str  # ISO 639-1 code, a key of LANGUAGES
    native_language: str  # ISO 639-1 code, in LANGUAGES or OTHER_NATIVE_LANGUAGES
    level: str  # one of CEFR_LEVELS
    correction_style: CorrectionStyle


@dataclass(frozen=True)
class TopicBrief:
    title: str
    scenario: str
    tutor_role: str
    learner_goal: str
    target_phrases: list[str]
    grammar_focus: str = ""
    level: str | None = None  # a teacher's override for an assignment
    correction_style: str | None = None  # a teacher's override for an assignment
    opener: str = ""  # a suggested first line, in the target language
    persona_name: str = ""  # the name the tutor goes by in the role, if the topic gives one


def build_system_instruction(*, learner: LearnerBrief, topic: TopicBrief | None) -> str:
    """The whole system instruction; topic None means free talk."""
    context = _context(learner, topic)
    context["level_section"] = render(f"levels/{context['level']}.txt", **context)
    context["correction_section"] = render(f"corrections/{context['style']}.txt", **context)
    context["topic_section"] = _topic_section(topic, context)
    return render("base.txt", **context)


def opener_text(*, learner: LearnerBrief, topic: TopicBrief | None) -> str:
    """The one text turn the bridge sends at the start so that the tutor speaks first."""
    context = _context(learner, topic)
    if topic is None:
        return render("opener_free.txt", **context)
    hint = render("opener_hint.txt", **context) if context["opener"] else ""
    return render("opener_topic.txt", **context, opener_hint=f" {hint}" if hint else "")


def _context(learner: LearnerBrief, topic: TopicBrief | None) -> dict[str, str]:
    target = get_language(learner.target_language)
    level = _choose(topic.level if topic else None, learner.level, CEFR_LEVELS, "CEFR level")
    style = _choose(
        topic.correction_style if topic else None,
        learner.correction_style,
        CORRECTION_STYLES,
        "correction style",
    )
    context = {
        "learner_name": _one_line(learner.display_name, NAME_LIMIT) or "the learner",
        "target_language": target.name,
        "native_language": native_language_name(learner.native_language),
        "level": level,
        "style": style,
        "backchannels": _spoken_list(f'"{word}"' for word in target.backchannels),
        "free_talk_subjects": free_talk_subjects()[level],
    }
    return context | (_topic_context(topic) if topic else {})


def _topic_context(topic: TopicBrief) -> dict[str, str]:
    fields = {
        "title": topic.title,
        "scenario": topic.scenario,
        "tutor_role": topic.tutor_role,
        "learner_goal": topic.learner_goal,
        "grammar_focus": topic.grammar_focus,
        "opener": topic.opener,
    }
    context = {key: _one_line(value, FIELD_LIMIT) for key, value in fields.items()}
    context["persona_name"] = _one_line(topic.persona_name, NAME_LIMIT)
    phrases = (_one_line(phrase, FIELD_LIMIT) for phrase in topic.target_phrases)
    # One quoted phrase per line: a clear list for the model, and for the offline emulator,
    # which builds its demo dialogue from this instruction alone (tutor/emulator/roleplay/).
    context["target_phrases"] = "\n".join(f'- "{phrase}"' for phrase in phrases if phrase)
    return context


def _topic_section(topic: TopicBrief | None, context: dict[str, str]) -> str:
    if topic is None:
        return render("free_talk.txt", **context)
    grammar = render("grammar_focus.txt", **context) if context["grammar_focus"] else ""
    opener = render("opener_line.txt", **context) if context["opener"] else ""
    persona = render("persona_line.txt", **context) if context["persona_name"] else ""
    return render(
        "topic.txt",
        **context,
        persona_line=f" {persona}" if persona else "",
        grammar_line=f"\n{grammar}" if grammar else "",
        opener_line=f"\n{opener}" if opener else "",
    )


def _choose(override: str | None, default: str, allowed: tuple[str, ...], what: str) -> str:
    value = override or default
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")
    return value


def _one_line(text: str, limit: int) -> str:
    return re.sub(r"\s+", " ", text).strip()[:limit]


def _spoken_list(items: Iterable[str]) -> str:
    words = list(items)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
