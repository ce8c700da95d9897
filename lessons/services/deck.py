"""Grading the phrase deck: each card is a `Phrase`, scheduled by FSRS (the `fsrs` package).

The conversation service creates the cards; this module decides when each is shown again and
keeps one `Review` row per grade. What the deck page shows (counts, the next card, its faces) is
in `lessons.selectors.deck`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from fsrs import Card, Rating, Scheduler, State

from lessons.models import Phrase, Review

if TYPE_CHECKING:
    from accounts.models import User

# Default FSRS-6 weights, 90 % desired retention, learning steps of 1 and 10 minutes.
SCHEDULER = Scheduler()
# The same without fuzz, to tell the learner what each grade would do before they choose.
PREVIEW_SCHEDULER = Scheduler(enable_fuzzing=False)


class StaleGrade(Exception):
    """The card was graded since the page was shown (a double submit or a second tab)."""


def to_card(phrase: Phrase) -> Card:
    return Card(
        card_id=phrase.pk,
        state=State(phrase.state),
        step=phrase.step,
        stability=phrase.stability,
        difficulty=phrase.difficulty,
        due=phrase.due,
        last_review=phrase.last_review,
    )


def _store(phrase: Phrase, card: Card) -> None:
    phrase.state = card.state.value
    phrase.step = card.step
    phrase.stability = card.stability
    phrase.difficulty = card.difficulty
    phrase.due = card.due
    phrase.last_review = card.last_review


@transaction.atomic
def phrase_grade(
    *,
    learner: User,
    phrase_id: int,
    rating: int,
    expected_reps: int | None = None,
    duration_ms: int | None = None,
    now: datetime | None = None,
    scheduler: Scheduler = SCHEDULER,
) -> Phrase:
    """Grade one of the learner's cards. Raises Phrase.DoesNotExist for anyone else's card and
    StaleGrade when `expected_reps` shows the card was graded in the meantime."""
    phrase = Phrase.objects.select_for_update().get(pk=phrase_id, learner=learner)
    if expected_reps is not None and phrase.reps != expected_reps:
        raise StaleGrade
    now = now or timezone.now()
    was_in_review = phrase.state == Phrase.State.REVIEW
    card, _ = scheduler.review_card(to_card(phrase), Rating(rating), review_datetime=now)
    _store(phrase, card)
    phrase.reps += 1
    phrase.lapses += int(was_in_review and rating == Rating.Again)
    phrase.save()
    Review.objects.create(phrase=phrase, rating=rating, reviewed_at=now, duration_ms=duration_ms)
    return phrase


def grade_intervals(phrase: Phrase, now: datetime | None = None) -> dict[int, timedelta]:
    """{rating: time until the card would be due again}, without fuzz, for the grade buttons."""
    now = now or timezone.now()
    card = to_card(phrase)
    return {
        rating.value: PREVIEW_SCHEDULER.review_card(card, rating, review_datetime=now)[0].due - now
        for rating in Rating
    }
