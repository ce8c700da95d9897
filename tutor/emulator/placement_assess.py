"""The text endpoint's answer to a spoken placement's assessment request
(tutor/prompts/text/placement/): a level per skill estimated from the learner's turns in the
transcript it is given, each quoting real learner turns by their numbers.

The emulator cannot judge grammar or pronunciation; it measures what a transcript shows on its
face: how long the learner's answers ran (fluency), how many different words they used
(range), how many questions they really answered (interaction), and, cautiously, accuracy no
higher than the lower of range and fluency. A learner who guessed with one-word answers gets
a low level, as from a real examiner. Strict like the real API about what it needs: a JSON
response with a schema, and a transcript with at least one learner line.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tutor.emulator.placement import CHARS_PER_WORD, ENOUGH_WORDS, LEVELS

MARKER = re.compile(r"\bplacement assessment\b", re.I)
_LINE = re.compile(r"^\[(\d+)\] (Learner|Tutor): (.*)$", re.M)
_CODE = re.compile(r"\(language code ([a-z]{2})\)")
# Different words used across the learner's turns, per level.
RANGE_WORDS = {"A1": 0, "A2": 12, "B1": 30, "B2": 55, "C1": 85, "C2": 120}
# Answers of at least four words, per level.
ANSWERED = {"A1": 0, "A2": 2, "B1": 4, "B2": 6, "C1": 8, "C2": 10}
QUOTE_WORDS = 12


class BadAssessmentRequest(ValueError):
    """What is wrong with the request, as the real API's INVALID_ARGUMENT message."""


def is_request(instruction: str, texts: list[str]) -> bool:
    return MARKER.search(instruction) is not None or any(MARKER.search(t) for t in texts)


def answer(body: dict[str, Any], texts: list[str]) -> list[dict[str, Any]]:
    """The reply's parts: one text part holding the assessment JSON."""
    config = body.get("generationConfig") or {}
    if config.get("responseMimeType") != "application/json":
        raise BadAssessmentRequest(
            "A placement assessment needs generationConfig.responseMimeType application/json."
        )
    schema = config.get("responseSchema")
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict) or "skills" not in properties:
        raise BadAssessmentRequest("A placement assessment needs a responseSchema with skills.")
    request = "\n".join(texts)
    lines = [(int(n), who.lower(), said.strip()) for n, who, said in _LINE.findall(request)]
    ordinals = [n for n, _, _ in lines]
    if len(set(ordinals)) != len(ordinals):
        raise BadAssessmentRequest("The transcript numbers a turn twice.")
    learner = [(n, said) for n, who, said in lines if who == "learner" and said]
    if not learner:
        raise BadAssessmentRequest("The transcript has no learner turn to assess.")
    match = _CODE.search(request)
    lang = match.group(1) if match else "en"
    return [{"text": json.dumps(assess(learner, lang), ensure_ascii=False)}]


def assess(learner: list[tuple[int, str]], lang: str) -> dict[str, Any]:
    sizes = {n: _size(said, lang) for n, said in learner}
    longest = sorted(learner, key=lambda turn: (-sizes[turn[0]], turn[0]))
    mean = sum(sizes.values()) / len(sizes)
    distinct = len({w.casefold() for _, said in learner for w in _words(said, lang)})
    answered = sum(1 for size in sizes.values() if size >= 4)
    fluency = _band(mean, ENOUGH_WORDS)
    range_ = _band(distinct, RANGE_WORDS)
    accuracy = min(fluency, range_, key=LEVELS.index)
    interaction = min(_band(answered, ANSWERED), _up(fluency), key=LEVELS.index)
    best, second = longest[0], longest[min(1, len(longest) - 1)]
    top = sizes[best[0]]
    skills = [
        _skill(
            "range",
            range_,
            f"You used {distinct} different words across {len(learner)} answers, "
            f"for example in turn {best[0]}.",
            [best, second],
        ),
        _skill(
            "accuracy",
            accuracy,
            "Judged no higher than your range and fluency: the clearest sentences are "
            f"in turn {best[0]}.",
            [best],
        ),
        _skill(
            "fluency",
            fluency,
            f"Your answers averaged {mean:.1f} words; the longest, turn {best[0]}, ran to {top}.",
            [best],
        ),
        _skill(
            "interaction",
            interaction,
            f"You answered {answered} of the tutor's questions with a full sentence, such as "
            f"turn {longest[-1][0] if answered == 0 else best[0]}.",
            [longest[-1] if answered == 0 else best],
        ),
    ]
    levels = sorted((s["level"] for s in skills), key=LEVELS.index)
    return {
        "skills": skills,
        "suggested_level": levels[(len(levels) - 1) // 2],
        "summary": f"An estimate from {len(learner)} answers; the longest ran to {top} words.",
    }


def _skill(name: str, level: str, rationale: str, turns: list[tuple[int, str]]) -> dict[str, Any]:
    quotes = [{"turn": n, "quote": _opening(said)} for n, said in dict(turns).items()]
    return {"skill": name, "level": level, "rationale": rationale, "quotes": quotes}


def _opening(said: str) -> str:
    """The first words of a turn, copied exactly: what the quote of a long turn shows."""
    words = said.split(" ")
    return said if len(words) <= QUOTE_WORDS else " ".join(words[:QUOTE_WORDS])


def _words(text: str, lang: str) -> list[str]:
    if lang == "ja":  # no spaces: count characters, CHARS_PER_WORD to a word
        chars = re.sub(r"[\s\W]", "", text)
        return [chars[i : i + CHARS_PER_WORD] for i in range(0, len(chars), CHARS_PER_WORD)]
    return [word for word in text.split() if re.search(r"\w", word)]


def _size(text: str, lang: str) -> int:
    return len(_words(text, lang))


def _band(value: float, floors: dict[str, int]) -> str:
    return max((level for level in LEVELS if value >= floors[level]), key=LEVELS.index)


def _up(level: str) -> str:
    return LEVELS[min(LEVELS.index(level) + 1, len(LEVELS) - 1)]
