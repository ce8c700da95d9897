"""What a conversation amounts to (speaking time, words, pace, corrections), computed by
PostgreSQL, for the learner's history, review and progress pages.

Speaking time is the seconds the conversation service recorded at finish; a conversation that
has none (cut off before finishing) falls back to the sum of its turns' timings. Words are
space-separated tokens, except in Japanese, which has no spaces: there a "word" is a
character, so its words per minute read as characters per minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Length, Replace
from django.db.models.lookups import Exact

from lessons.models import Correction, Turn
from lessons.selectors.counts import with_counts

LEARNER = Turn.Speaker.LEARNER
TUTOR = Turn.Speaker.TUTOR


def word_count_sql(language: Any, text: str = "text") -> Case:
    """Words in a turn's text as SQL; `language` is the conversation's language expression.
    Words are split on spaces only (transcripts are single lines): three times faster than
    a regular expression, which matters when the progress page counts every turn."""
    characters = Length(Replace(F(text), Value(" "), Value("")))
    pieces = Func(F(text), Value(" "), function="string_to_array")
    words = Func(Func(pieces, Value(""), function="array_remove"), function="cardinality")
    return Case(
        When(Exact(language, Value("ja")), then=characters),
        default=words,
        output_field=IntegerField(),
    )


def word_count(text: str, language: str) -> int:
    """The Python twin of `word_count_sql`, for figures computed from loaded turns."""
    if language == "ja":
        return len(text.replace(" ", ""))
    return sum(1 for word in text.split(" ") if word)


def _turn_total(expression: Any, speaker: str) -> Coalesce:
    rows = (
        Turn.objects.filter(conversation=OuterRef("pk"), speaker=speaker)
        .order_by()
        .values("conversation_id")
        .annotate(total=Sum(expression))
        .values("total")
    )
    return Coalesce(Subquery(rows), 0, output_field=IntegerField())


def _spoken_seconds(recorded: str, speaker: str) -> Case:
    turn_ms = _turn_total(F("ended_ms") - F("started_ms"), speaker)
    return Case(
        When(**{f"{recorded}__gt": 0}, then=F(recorded)),
        default=turn_ms / 1000.0,
        output_field=FloatField(),
    )


def with_figures(conversations: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate learner_words, learner_spoken, tutor_spoken (seconds), and correction_count
    and phrase_count as `lessons.selectors.counts` defines them."""
    return with_counts(conversations).annotate(
        learner_words=_turn_total(word_count_sql(OuterRef("language")), LEARNER),
        learner_spoken=_spoken_seconds("learner_seconds", LEARNER),
        tutor_spoken=_spoken_seconds("tutor_seconds", TUTOR),
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
    return [(kind.label, n) for kind, n in counts.items() if n]
