"""Answering a card on the drill page, by voice or by typing: is the answer the card's, and the
record of each attempt. Grading stays in `lessons.services.deck` (the learner confirms the
suggested grade), so every answer, however given, feeds the same FSRS schedule.

The rule for "matches" is the target-phrase rule (`lessons.text.phrase_match`): accents, case,
punctuation and small inflection or transcription noise are forgiven; a missing, extra or wrong
word beyond that is not. What was heard comes from Gemini (spoken) or the learner (typed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import DrillAttempt, Phrase, Review
from lessons.selectors.deck import card_face
from lessons.services.limits import LimitExceeded
from lessons.text.phrase_match import PhraseMatcher, normalise
from lessons.text.worddiff import Segment, word_diff

if TYPE_CHECKING:
    from accounts.models import User

MAX_HEARD_CHARS = 500


@dataclass(frozen=True)
class DrillResult:
    """What the page shows after an answer: what was heard, whether it is the card's answer,
    the words that differ, and the grade it suggests (Good when it matches, else Again)."""

    heard: str
    expected: str
    matched: bool
    said: list[Segment]
    better: list[Segment]

    @property
    def suggested_rating(self) -> int:
        return Review.Rating.GOOD if self.matched else Review.Rating.AGAIN


def answer_matches(expected: str, heard: str) -> bool:
    """Whether `heard` says `expected`, by the target-phrase rule. An answer that only adds
    words to the front or back still matches ("Eh… la cuenta, por favor")."""
    if not normalise(heard):
        return False
    return PhraseMatcher(expected).matches(heard)


def drill_check(*, phrase: Phrase, heard: str) -> DrillResult:
    """Compare an answer with the card's expected answer (the card's own text)."""
    heard = " ".join(heard.split())[:MAX_HEARD_CHARS]
    expected = card_face(phrase).answer or phrase.text
    said, better = word_diff(heard, expected, phrase.language) if heard else ([], [])
    return DrillResult(heard, expected, answer_matches(expected, heard), said, better)


def drill_record(
    *, learner: User, phrase: Phrase, mode: str, result: DrillResult, ip: str | None = None
) -> DrillAttempt:
    return DrillAttempt.objects.create(
        learner=learner,
        phrase=phrase,
        mode=mode,
        heard=result.heard,
        matched=result.matched,
        ip=ip,
    )


def drill_check_rate(*, learner: User, ip: str | None) -> None:
    """Spoken checks in the last hour, per learner and per address; each costs a Gemini call.
    Raises LimitExceeded with a message for the learner."""
    recent = DrillAttempt.objects.filter(
        mode=DrillAttempt.Mode.SPOKEN, created_at__gte=timezone.now() - timedelta(hours=1)
    )
    if recent.filter(learner=learner).count() >= settings.DRILL_CHECKS_PER_HOUR:
        raise LimitExceeded(
            _(
                "You've checked a lot of spoken answers in the last hour. Type your answers or "
                "take a short break."
            )
        )
    if ip and recent.filter(ip=ip).count() >= settings.DRILL_CHECKS_PER_IP_PER_HOUR:
        raise LimitExceeded(
            _(
                "A lot of spoken answers have been checked from your network in the last hour. "
                "Type your answers for now."
            )
        )
