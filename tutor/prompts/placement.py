"""What the spoken placement asks Gemini: the Live system instruction and opener for the
placement conversation, and the text model's assessment of its transcript. The texts are in
`text/placement/`.

The placement starts at the learner's self-declared level and probes up and down through the
CEFR descriptors with follow-ups, without correcting (`live.txt`). The assessment gets the
transcript with each turn's ordinal, so the quotes it returns can be checked against the turns
that were really said (lessons.placement_rules).
"""

from __future__ import annotations

from collections.abc import Sequence

from tutor.prompts.builder import CEFR_LEVELS, NAME_LIMIT, LearnerBrief, _one_line
from tutor.prompts.languages import get_language, native_language_name
from tutor.prompts.templates import render

SKILLS = ("range", "accuracy", "fluency", "interaction")
# A line of the transcript; longer ones are cut, so one turn cannot crowd out the others.
TURN_LIMIT = 600


def placement_instruction(learner: LearnerBrief) -> str:
    return render("placement/live.txt", **_context(learner))


def placement_opener(learner: LearnerBrief) -> str:
    return render("placement/opener.txt", **_context(learner))


def assessment_instruction(language: str) -> str:
    return render("placement/assess_system.txt", target_language=get_language(language).name)


def assessment_request(*, language: str, level: str, turns: Sequence[tuple[int, str, str]]) -> str:
    """`turns` are (ordinal, speaker "learner" or "tutor", text), in order."""
    lines = "\n".join(
        f"[{ordinal}] {'Learner' if speaker == 'learner' else 'Tutor'}: "
        f"{_one_line(text, TURN_LIMIT)}"
        for ordinal, speaker, text in turns
        if text.strip()
    )
    return render(
        "placement/assess_request.txt",
        target_language=get_language(language).name,
        language_code=language,
        level=_level(level),
        transcript=lines,
    )


def _context(learner: LearnerBrief) -> dict[str, str]:
    return {
        "learner_name": _one_line(learner.display_name, NAME_LIMIT) or "the learner",
        "target_language": get_language(learner.target_language).name,
        "native_language": native_language_name(learner.native_language),
        "level": _level(learner.level),
    }


def _level(level: str) -> str:
    if level not in CEFR_LEVELS:
        raise ValueError(f"unknown CEFR level {level!r}")
    return level
