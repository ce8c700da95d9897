"""What a conversation amounts to (speaking time, words, pace, corrections), computed by
PostgreSQL, for the learner's history, review and progress pages.

Speaking time is the seconds the conversation service recorded at finish; a conversation that
has none (cut off before finishing) falls back to the sum of its turns' timings. Words and turn
timings are the running totals kept on each conversation as its turns are stored
(lessons.services.totals), counted as `lessons.words` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, FloatField, QuerySet, When

from lessons.models import Correction, Turn
from lessons.selectors.counts import with_counts
from lessons.words import word_count, word_count_sql

__all__ = [
    "LEARNER",
    "TUTOR",
    "Figures",
    "corrections_by_kind",
    "figures_of",
    "with_figures",
    "word_count",
    "word_count_sql",
]

LEARNER = Turn.Speaker.LEARNER
TUTOR = Turn.Speaker.TUTOR


def _spoken_seconds(recorded: str, turn_ms: str) -> Case:
    return Case(
        When(**{f"{recorded}__gt": 0}, then=F(recorded)),
        default=F(turn_ms) / 1000.0,
        output_field=FloatField(),
    )


def with_figures(conversations: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate learner_spoken and tutor_spoken (seconds), and correction_count and
    phrase_count as `lessons.selectors.counts` defines them. Words are the conversation's own
    running total (`learner_words`, lessons.services.totals)."""
    return with_counts(conversations).annotate(
        learner_spoken=_spoken_seconds("learner_seconds", "learner_turn_ms"),
        tutor_spoken=_spoken_seconds("tutor_seconds", "tutor_turn_ms"),
    )


@dataclass(frozen=True)
class Figures:
    """What one conversation (or a period) amounts to. Seconds are speaking time."""

    minutes: float
    learner_words: int
    learner_seconds: float
    tutor_seconds: float
    corrections: int
    phrases: int = 0  # cards noted (a period's figures leave it out)

    @property
    def talk_share(self) -> float | None:
        """The learner's share of the speaking time, 0..1; None if nobody spoke."""
        total = self.learner_seconds + self.tutor_seconds
        return self.learner_seconds / total if total > 0 else None

    @property
    def talk_percent(self) -> int | None:
        share = self.talk_share
        return None if share is None else round(share * 100)

    @property
    def words_per_minute(self) -> float | None:
        if self.learner_seconds <= 0:
            return None
        return self.learner_words / (self.learner_seconds / 60)

    @property
    def corrections_per_100_words(self) -> float | None:
        return 100 * self.corrections / self.learner_words if self.learner_words else None


def figures_of(conversation: Any) -> Figures:
    """Figures of a conversation annotated by `with_figures`."""
    return Figures(
        minutes=conversation.duration_seconds / 60,
        learner_words=conversation.learner_words,
        learner_seconds=conversation.learner_spoken,
        tutor_seconds=conversation.tutor_spoken,
        corrections=conversation.correction_count,
        phrases=conversation.phrase_count,
    )


def corrections_by_kind(corrections: list[Correction]) -> list[tuple[str, int]]:
    """[(kind label, count)] in the model's order of kinds, kinds with none left out."""
    counts = {kind: 0 for kind in Correction.Kind}
    for correction in corrections:
        counts[Correction.Kind(correction.kind)] += 1
    return [(str(kind.label), n) for kind, n in counts.items() if n]
