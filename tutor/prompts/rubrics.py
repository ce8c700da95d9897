"""What the rubric proposal asks the text model: the rubric, the task's target phrases and
the learner's transcript, every line labelled `[conversation #turn]` so that the answer can
cite turns the server checks (lessons/services/rubrics.py keeps only the learner's own)."""

from __future__ import annotations

from dataclasses import dataclass

from tutor.prompts.languages import get_language
from tutor.prompts.templates import render

MARKER = "You score a language learner's speaking against a teacher's rubric."


@dataclass(frozen=True)
class RubricLine:
    conversation: str
    ordinal: int
    speaker: str
    text: str


def system_instruction() -> str:
    return render("rubrics/system.txt")


def request(
    *,
    language: str,
    level: str,
    phrases: list[str],
    criteria: list[tuple[str, str, list[str]]],
    lines: list[RubricLine],
) -> str:
    """`criteria`: (key, name, descriptors from 0 points up)."""
    rubric = "\n".join(
        f"criterion {key}: {name} (0-{len(levels) - 1} points)\n"
        + "\n".join(f"  {points}: {text}" for points, text in enumerate(levels))
        for key, name, levels in criteria
    )
    transcript = "\n".join(
        f"[{line.conversation} #{line.ordinal}] {line.speaker}: {' '.join(line.text.split())}"
        for line in lines
    )
    return render(
        "rubrics/request.txt",
        language_name=get_language(language).name,
        language_code=language,
        level=level,
        phrases="; ".join(phrases) or "(none)",
        criteria=rubric,
        transcript=transcript or "(nothing was said)",
    )
