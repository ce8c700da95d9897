"""What the page shows about the learner's words, decided once, here: the word diff of a
correction and which of the topic's target phrases a learner line used.

The page has no copy of these rules (it used to, and the two disagreed on Japanese, inflected
forms and punctuation): it draws what the server sends. The review page, the deck and the
teacher's evidence page use the same functions from `lessons.text`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from lessons.text.phrase_match import PhraseMatcher, normalise
from lessons.text.worddiff import word_diff


def correction_diff(original: str, corrected: str, language: str) -> dict[str, list[Any]]:
    """`{"said": [[text, changed], …], "better": […]}`: the two sides as the review page
    shows them, changed words marked (`lessons.text.worddiff`)."""
    said, better = word_diff(original, corrected, language)
    return {
        "said": [[segment.text, segment.changed] for segment in said],
        "better": [[segment.text, segment.changed] for segment in better],
    }


class TargetPhrases:
    """The topic's target phrases and which of them the learner has used so far (by index,
    the order the page lists them in)."""

    def __init__(self, phrases: Sequence[str], said: Iterable[str] = ()) -> None:
        self._matchers = [PhraseMatcher(phrase) for phrase in phrases]
        self.used: set[int] = set()
        for text in said:
            self.heard(text)

    def heard(self, text: str) -> bool:
        """Check one learner line; True when it used a phrase not used before."""
        normalised = normalise(text)
        new = {
            index
            for index, matcher in enumerate(self._matchers)
            if index not in self.used and matcher.matches_normalised(normalised)
        }
        self.used |= new
        return bool(new)

    def event(self) -> dict[str, Any]:
        return {"type": "targets", "used": sorted(self.used)}
