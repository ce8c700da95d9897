"""The learner's memory in prompts: the section of the system instruction that carries it
(`memory_section`, used by the builder), and what the text model is asked after a conversation
to update it (`update_system_instruction`, `update_request`). Texts in `text/memory/`.

The budget is lessons.models.memory's (tests check the two agree): the builder caps what it
is given again, so a prompt never carries more whatever its caller does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tutor.prompts.languages import get_language, native_language_name
from tutor.prompts.templates import render

MEMORY_KINDS = ("interest", "person", "place", "goal", "error", "phrase")
MAX_LINES = 12
MAX_CHARS = 600
LINE_CHARS = 120


@dataclass(frozen=True)
class MemoryTranscript:
    topic: str  # "" for free talk
    turns: Sequence[tuple[str, str]]  # (speaker "learner" | "tutor", text), oldest first
    corrections: Sequence[tuple[str, str, str]] = ()  # (original, corrected, explanation)


def capped(lines: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Known kinds, one line each, within the budget (the first lines kept)."""
    kept: list[tuple[str, str]] = []
    total = 0
    for kind, text in lines:
        line = _one_line(text)[:LINE_CHARS]
        if kind not in MEMORY_KINDS or not line or len(kept) >= MAX_LINES:
            continue
        if total + len(line) > MAX_CHARS:
            break
        kept.append((kind, line))
        total += len(line)
    return kept


def memory_lines_text(lines: Sequence[tuple[str, str]]) -> str:
    return "\n".join(f"- {kind}: {text}" for kind, text in capped(lines))


def memory_section(lines: Sequence[tuple[str, str]], context: dict[str, str]) -> str:
    """The instruction's section, or "" when there is nothing to remember."""
    text = memory_lines_text(lines)
    return render("memory_section.txt", **context, memory_lines=text) if text else ""


def update_system_instruction() -> str:
    return render("memory/update_system.txt")


def update_request(
    *,
    learner_name: str,
    language: str,
    native_language: str,
    lines: Sequence[tuple[str, str]],
    transcripts: Sequence[MemoryTranscript],
    recurring: Sequence[str] = (),
) -> str:
    """The user turn of the update: the memory now, repeated corrections, the new talk."""
    return render(
        "memory/update_request.txt",
        learner_name=_one_line(learner_name)[:60] or "the learner",
        language_name=get_language(language).name,
        language_code=language,
        native_language=native_language_name(native_language),
        current_lines=memory_lines_text(lines) or "(empty)",
        recurring_lines="\n".join(f"- {_one_line(r)}" for r in recurring) or "(none)",
        transcripts="\n\n".join(_transcript(t) for t in transcripts) or "(none)",
    )


def _transcript(transcript: MemoryTranscript) -> str:
    speakers = {"learner": "Learner", "tutor": "Tutor"}
    turns = "\n".join(
        f"{speakers.get(speaker, 'Tutor')}: {_one_line(text)}"
        for speaker, text in transcript.turns
        if text.strip()
    )
    corrections = "\n".join(
        f'- "{_one_line(original)}" -> "{_one_line(corrected)}"'
        + (f" ({_one_line(why)})" if why.strip() else "")
        for original, corrected, why in transcript.corrections
    )
    subject = f'topic "{_one_line(transcript.topic)}"' if transcript.topic else "free talk"
    return render(
        "memory/transcript.txt",
        subject=subject,
        turns=turns or "(nothing said)",
        corrections=corrections or "(none)",
    )


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
