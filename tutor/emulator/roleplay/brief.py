"""What the demo tutor reads from a system instruction: only what a real model would see.

`tutor.prompts` writes the topic as plain sentences plus one quoted target phrase per line
(tutor/prompts/text/topic.txt); the patterns below also accept a hand-written instruction
that names a level, a name or a few `- "phrase"` lines, and fall back to free talk when no
target phrase is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LEVEL = re.compile(r"\bCEFR\s+([ABC][12])\b|\b([ABC][12])\b")
_NAME = re.compile(r"\bvoice call with (.+?)\. Their native language\b")
_OPENER = re.compile(r'^Your first line, or one close to it: "(.*)"\s*$', re.M)
_PHRASE = re.compile(r'^\s*[-*\u2022]\s*"(.+)"\s*$', re.M)
_LEARNER_LINE = re.compile(r"^Learner: ", re.M)
_SO_FAR = "The conversation so far:"
NO_NAME = "the learner"  # what tutor.prompts writes for a blank display name


@dataclass(frozen=True, slots=True)
class Brief:
    level: str  # A1 ... C2
    name: str  # "" when the instruction gives none
    opener: str  # "" when the topic suggests no first line
    phrases: tuple[str, ...]  # the target phrases, in order
    style: str  # none | recast | explain
    learner_lines_so_far: int  # a restored session's transcript: learner lines already said


def read_brief(instruction: str) -> Brief:
    head, _, transcript = instruction.partition(_SO_FAR)
    return Brief(
        level=_level(head),
        name=_name(head),
        opener=(match.group(1).strip() if (match := _OPENER.search(head)) else ""),
        phrases=tuple(dict.fromkeys(p.strip() for p in _PHRASE.findall(head) if p.strip())),
        style=_style(head),
        learner_lines_so_far=len(_LEARNER_LINE.findall(transcript)),
    )


def _level(text: str) -> str:
    match = _LEVEL.search(text)
    return (match.group(1) or match.group(2)) if match else "A2"


def _name(text: str) -> str:
    match = _NAME.search(text)
    name = match.group(1).strip() if match else ""
    return "" if name == NO_NAME else name


def _style(text: str) -> str:
    # tutor/prompts/text/corrections/*.txt: "Style: no spoken corrections." / "Style: recast,
    # then explain briefly." / "Style: recast."
    if "Style: no spoken corrections" in text:
        return "none"
    if "Style: recast, then explain" in text:
        return "explain"
    return "recast"
