"""What a placement assessment from the text model must be before Tertulia keeps it.

Plain Python, no ORM. Strict where a wrong answer would mislead (a level outside A1-C2, a
skill missing or twice: the whole assessment is refused) and forgiving where a piece can be
dropped safely: a quote of a turn that does not exist, of the tutor's turn, or of words the
learner never said is fabricated, and is dropped while the rest stands.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
SKILLS = ("range", "accuracy", "fluency", "interaction")
RATIONALE_LIMIT = 600
SUMMARY_LIMIT = 400
QUOTE_LIMIT = 300
MAX_QUOTES = 4


class InvalidAssessment(ValueError):
    """The model's answer cannot be used; the message says why (for the log, not the page)."""


@dataclass(frozen=True)
class Quote:
    turn: int  # the learner turn's ordinal
    text: str


@dataclass(frozen=True)
class SkillEstimate:
    skill: str
    level: str
    rationale: str
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Assessment:
    skills: tuple[SkillEstimate, ...]  # in SKILLS order
    suggested_level: str
    summary: str
    dropped_quotes: int  # fabricated quotes left out


def parse_assessment(data: Any, learner_turns: Mapping[int, str]) -> Assessment:
    """Check `data` (the model's JSON) against the learner's turns, {ordinal: text}."""
    if not isinstance(data, dict):
        raise InvalidAssessment("the assessment is not an object")
    raw_skills = data.get("skills")
    if not isinstance(raw_skills, list):
        raise InvalidAssessment("skills must be a list")
    by_skill: dict[str, SkillEstimate] = {}
    dropped = 0
    for raw in raw_skills:
        estimate, lost = _skill(raw, learner_turns)
        if estimate.skill in by_skill:
            raise InvalidAssessment(f"skill {estimate.skill} given twice")
        by_skill[estimate.skill] = estimate
        dropped += lost
    missing = [name for name in SKILLS if name not in by_skill]
    if missing:
        raise InvalidAssessment(f"no estimate for {', '.join(missing)}")
    skills = tuple(by_skill[name] for name in SKILLS)
    suggested = _level(data.get("suggested_level"), "suggested_level")
    # The overall level lies within the skills' range: one generous skill cannot lift it
    # above every estimate, nor one harsh one sink it below.
    order = [LEVELS.index(s.level) for s in skills]
    suggested = LEVELS[min(max(LEVELS.index(suggested), min(order)), max(order))]
    summary = _text(data.get("summary", ""), SUMMARY_LIMIT)
    return Assessment(skills, suggested, summary, dropped)


def _skill(raw: Any, learner_turns: Mapping[int, str]) -> tuple[SkillEstimate, int]:
    if not isinstance(raw, dict):
        raise InvalidAssessment("a skill is not an object")
    name = raw.get("skill")
    if name not in SKILLS:
        raise InvalidAssessment(f"unknown skill {name!r}")
    level = _level(raw.get("level"), name)
    rationale = _text(raw.get("rationale"), RATIONALE_LIMIT)
    if not rationale:
        raise InvalidAssessment(f"{name} has no rationale")
    quotes: list[Quote] = []
    raw_quotes = raw.get("quotes", [])
    if not isinstance(raw_quotes, list):
        raise InvalidAssessment(f"{name}'s quotes must be a list")
    dropped = 0
    for item in raw_quotes:
        quote = _quote(item, learner_turns)
        if quote is None:
            dropped += 1
        elif quote not in quotes and len(quotes) < MAX_QUOTES:
            quotes.append(quote)
    return SkillEstimate(name, level, rationale, tuple(quotes)), dropped


def _quote(item: Any, learner_turns: Mapping[int, str]) -> Quote | None:
    """The quote if the learner really said it in that turn, else None (fabricated)."""
    if not isinstance(item, dict):
        return None
    turn, words = item.get("turn"), item.get("quote")
    if isinstance(turn, bool) or not isinstance(turn, int) or not isinstance(words, str):
        return None
    said = learner_turns.get(turn)
    wanted = _normal(words)
    if said is None or not wanted or wanted not in _normal(said):
        return None
    return Quote(turn, _text(words, QUOTE_LIMIT))


def _level(value: Any, what: str) -> str:
    if not isinstance(value, str) or value.strip().upper() not in LEVELS:
        raise InvalidAssessment(f"{what}: {value!r} is not a CEFR level")
    return value.strip().upper()


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:limit]


def _normal(text: str) -> str:
    """Case, accents' composition, punctuation and spacing aside, the words as said."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return " ".join(re.sub(r"[^\w\s']", " ", folded).split())
