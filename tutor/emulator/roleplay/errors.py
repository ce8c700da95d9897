"""Deliberate learner errors: planted in target phrases for the spoken script, and found
again in what a learner types, so the tutor corrects both the same way."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tutor.emulator.roleplay.lines import Plant

_PUNCTUATION = re.compile(r"[¿¡?!.,;:«»“”„\"…。、？！「」()\[\]]+")


@dataclass(frozen=True, slots=True)
class Fix:
    """One error and its correction, as note_correction reports it."""

    original: str  # the learner's whole line
    corrected: str  # the whole line put right
    wrong: str  # the words as the learner said them
    right: str  # the same words put right
    explanation: str
    kind: str

    def note(self) -> dict[str, str]:
        return {
            "original": self.original,
            "corrected": self.corrected,
            "explanation": self.explanation,
            "kind": self.kind,
        }


def plant(phrase: str, plants: Iterable[Plant]) -> Fix | None:
    """The phrase with the first applicable error in it, or None if no rule fits."""
    for rule in plants:
        match = re.search(rule.right, phrase, flags=re.I)
        if match is None:
            continue
        right = match.group(0)
        wrong = _same_case(match.expand(rule.wrong), right)
        if wrong == right:
            continue
        spoken = phrase[: match.start()] + wrong + phrase[match.end() :]
        return Fix(spoken, phrase, wrong, right, rule.explanation, rule.kind)
    return None


def find(text: str, phrases: Iterable[str], plants: tuple[Plant, ...], spaced: bool) -> Fix | None:
    """A typed line that holds one of the errors these phrases could be said with."""
    said = norm(text, spaced)
    for phrase in phrases:
        for rule in plants:
            fix = plant(phrase, (rule,))
            if fix is None or _context(fix, spaced) not in said:
                continue
            corrected = _put_right(text, fix, spaced)
            if corrected != text:
                return Fix(text, corrected, fix.wrong, fix.right, fix.explanation, fix.kind)
    return None


def norm(text: str, spaced: bool = True) -> str:
    """Lower case, no punctuation, single spaces; padded so `in` respects word edges."""
    plain = _PUNCTUATION.sub(" ", text.casefold().replace("’", "'"))
    if not spaced:
        return plain.replace(" ", "")
    return f" {' '.join(plain.split())} "


def _context(fix: Fix, spaced: bool) -> str:
    """The error with a little of the phrase around it: enough to tell it was this phrase
    the learner tried, without asking them to type the whole phrase."""
    line, wrong = norm(fix.original, spaced), norm(fix.wrong, spaced)
    if not spaced:
        char = line.find(wrong)
        return line[max(0, char - 2) : char + len(wrong) + 2]
    words, error = line.split(), wrong.split()
    found = [i for i in range(len(words)) if words[i : i + len(error)] == error]
    if not found:
        return line
    at = found[0]
    after = words[at : at + len(error) + 2]
    window = after if len(after) == len(error) + 2 else words[max(0, at - 2) : at + len(error)]
    return f" {' '.join(window)} "


def _put_right(text: str, fix: Fix, spaced: bool) -> str:
    edge = r"\b" if spaced else ""
    pattern = edge + re.escape(fix.wrong) + edge
    return re.sub(pattern, lambda m: _same_case(fix.right, m.group(0)), text, count=1, flags=re.I)


def _same_case(words: str, model: str) -> str:
    if words and model[:1].isupper():
        return words[0].upper() + words[1:]
    if words and model[:1].islower():
        return words[0].lower() + words[1:]
    return words
