"""Everything the learner's progress page draws: days, weeks, streak, phrases and levels.

Days are in the site's time zone (settings.TIME_ZONE); weeks start Monday. Speaking time and
words are counted as in `lessons.selectors.figures`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, Count, F, FloatField, Q, Sum, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.choices import LEVEL_ORDER
from lessons.models import Conversation, Correction, Phrase, correction_count_field
from lessons.selectors.figures import Figures

if TYPE_CHECKING:
    from accounts.models import User

DAYS_SHOWN = 30
WEEKS_SHOWN = 12


@dataclass
class Period:
    """Sums over the conversations started in a day or a week."""

    start: date
    conversations: int = 0
    learner_words: int = 0
    learner_seconds: float = 0.0
    tutor_seconds: float = 0.0
    kinds: dict[str, int] = field(default_factory=dict)

    def add(self, other: Period) -> None:
        self.conversations += other.conversations
        self.learner_words += other.learner_words
        self.learner_seconds += other.learner_seconds
        self.tutor_seconds += other.tutor_seconds
        for kind, n in other.kinds.items():
            self.kinds[kind] = self.kinds.get(kind, 0) + n

    @property
    def figures(self) -> Figures:
        return Figures(
            minutes=self.learner_seconds / 60,
            learner_words=self.learner_words,
            learner_seconds=self.learner_seconds,
            tutor_seconds=self.tutor_seconds,
            corrections=sum(self.kinds.values()),
        )

    def per_100_words(self, kind: str) -> float | None:
        if not self.learner_words:
            return None
        return 100 * self.kinds.get(kind, 0) / self.learner_words


@dataclass(frozen=True)
class ProgressStats:
    """One learner's whole history, summed for the progress page."""

    days: list[Period]  # the last DAYS_SHOWN days, oldest first, empty days included
    weeks: list[Period]  # the last WEEKS_SHOWN weeks, oldest first
    streak: int  # consecutive days with speech, up to today (or yesterday, today still open)
    practised_today: bool
    totals: Period
    phrases: dict[str, int]  # total, learned, due
    levels: list[tuple[str, int, int]]  # (CEFR level, topics covered, conversations)


def _spoken(recorded: str, turn_ms: str) -> Sum:
    """Recorded speaking time, or the turns' timings where none was recorded."""
    seconds = Case(
        When(**{f"{recorded}__gt": 0}, then=F(recorded)),
        default=F(turn_ms) / 1000.0,
        output_field=FloatField(),
    )
    return Sum(seconds)


def _daily(user: User) -> dict[date, Period]:
    """One Period per day that has a conversation, over the learner's whole history.

    One grouped query, one pass over the learner's conversations: words, turn timings and
    corrections by kind are each conversation's running totals (lessons.services.totals), so
    neither the turns nor the corrections are read."""
    tz = timezone.get_current_timezone()
    kinds = {kind.value: correction_count_field(kind) for kind in Correction.Kind}
    conversations = (
        Conversation.objects.owned_by(user)
        .annotate(day=TruncDate("started_at", tzinfo=tz))
        .order_by()
        .values("day")
        .annotate(
            n=Count("pk"),
            words=Sum("learner_words"),
            learner=_spoken("learner_seconds", "learner_turn_ms"),
            tutor=_spoken("tutor_seconds", "tutor_turn_ms"),
            **{kind: Sum(field) for kind, field in kinds.items()},
        )
    )
    days = {}
    for row in conversations:
        period = Period(row["day"], row["n"], row["words"], row["learner"], row["tutor"])
        period.kinds = {kind: row[kind] for kind in kinds if row[kind]}
        days[row["day"]] = period
    return days


def _streak(active: set[date], today: date) -> int:
    day = today if today in active else today - timedelta(days=1)
    streak = 0
    while day in active:
        streak += 1
        day -= timedelta(days=1)
    return streak


def _weeks(days: dict[date, Period], today: date) -> list[Period]:
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=n) for n in range(WEEKS_SHOWN)]
    weeks = {start: Period(start) for start in starts}
    for day, period in days.items():
        week = weeks.get(day - timedelta(days=day.weekday()))
        if week is not None:
            week.add(period)
    return sorted(weeks.values(), key=lambda week: week.start)


def _phrases(user: User) -> dict[str, int]:
    now = timezone.now()
    return Phrase.objects.filter(learner=user).aggregate(
        total=Count("pk"),
        learned=Count("pk", filter=Q(state=Phrase.State.REVIEW)),
        due=Count("pk", filter=Q(due__lte=now)),
    )


def _levels(user: User) -> list[tuple[str, int, int]]:
    rows = (
        Conversation.objects.owned_by(user)
        .order_by()
        .values_list("level")
        .annotate(topics=Count("topic", distinct=True), conversations=Count("pk"))
    )
    found = {level: (topics, n) for level, topics, n in rows}
    return [(level, *found.get(level, (0, 0))) for level in LEVEL_ORDER]


def progress_stats(user: User) -> ProgressStats:
    """Everything the progress page draws: three queries whatever the history's length, none
    of them over the turns or the corrections."""
    today = timezone.localdate()
    days = _daily(user)
    shown = [today - timedelta(days=n) for n in range(DAYS_SHOWN - 1, -1, -1)]
    totals = Period(today)
    for period in days.values():
        totals.add(period)
    spoken = {day for day, period in days.items() if period.learner_words or period.learner_seconds}
    return ProgressStats(
        days=[days.get(day, Period(day)) for day in shown],
        weeks=_weeks(days, today),
        streak=_streak(spoken, today),
        practised_today=today in spoken,
        totals=totals,
        phrases=_phrases(user),
        levels=_levels(user),
    )
