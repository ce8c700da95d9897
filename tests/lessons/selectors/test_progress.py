"""Progress figures: minutes per day and week, streak, pace, share, corrections, levels."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from lessons.models import Turn
from lessons.selectors.figures import word_count, word_count_sql
from lessons.selectors.progress import progress_stats
from lessons.services.deck import phrase_grade
from tests.lessons.learner_data import make_conversation, make_phrase, make_topic

pytestmark = pytest.mark.django_db


def _noon(days_ago: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def _talk(learner: User, days_ago: int, **fields: object) -> None:
    make_conversation(learner, started_at=_noon(days_ago), **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        ("Yo quiero  un café", "es", 4),
        (" hola ", "es", 1),
        ("  ", "es", 0),
        ("私は学生です", "ja", 6),
        ("私は 学生です", "ja", 6),
    ],
)
def test_words_count_alike_in_python_and_sql(
    alice: User, text: str, language: str, words: int
) -> None:
    conversation = make_conversation(alice, language=language, turns=[("learner", text)])
    in_sql = (
        Turn.objects.filter(conversation=conversation)
        .annotate(words=word_count_sql(F("conversation__language")))
        .get()
        .words
    )
    assert word_count(text, language) == in_sql == words


def test_minutes_spoken_are_summed_per_day(alice: User) -> None:
    _talk(alice, 0, learner_seconds=120)
    _talk(alice, 0, learner_seconds=60)
    _talk(alice, 2, learner_seconds=30)
    days = {d.start: d for d in progress_stats(alice).days}
    today = timezone.localdate()
    assert days[today].figures.minutes == pytest.approx(3)
    assert days[today].conversations == 2
    assert days[today - timedelta(days=2)].figures.minutes == pytest.approx(0.5)
    assert days[today - timedelta(days=1)].figures.minutes == 0
    assert len(days) == 30


def test_weeks_give_pace_share_and_corrections_per_100_words(alice: User) -> None:
    # 18 learner words in 60 s of learner speech, against 90 s of tutor speech.
    _talk(
        alice,
        0,
        learner_seconds=60,
        tutor_seconds=90,
        corrections=[(1, "Yo quiero", "Quiero", "grammar"), (3, "mercado", "súper", "vocabulary")],
    )
    week = progress_stats(alice).weeks[-1]
    assert week.start == timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    assert week.figures.words_per_minute == pytest.approx(18)
    assert week.figures.talk_share == pytest.approx(0.4)
    assert week.per_100_words("grammar") == pytest.approx(100 / 18)
    assert week.per_100_words("pronunciation") == 0
    assert progress_stats(alice).weeks[0].per_100_words("grammar") is None  # no speech


def test_twelve_weeks_are_shown_oldest_first(alice: User) -> None:
    weeks = progress_stats(alice).weeks
    assert len(weeks) == 12
    assert [w.start for w in weeks] == sorted(w.start for w in weeks)
    assert all(w.start.weekday() == 0 for w in weeks)


@pytest.mark.parametrize(
    ("days_ago", "streak", "today"),
    [
        ([0, 1, 2, 4], 3, True),
        ([1, 2], 2, False),  # today is not over: yesterday's streak still counts
        ([2, 3], 0, False),
        ([], 0, False),
    ],
)
def test_the_streak_counts_consecutive_days_with_speech(
    alice: User, days_ago: list[int], streak: int, today: bool
) -> None:
    for n in days_ago:
        _talk(alice, n)
    progress = progress_stats(alice)
    assert (progress.streak, progress.practised_today) == (streak, today)


def test_a_conversation_where_the_learner_never_spoke_does_not_count_for_the_streak(
    alice: User,
) -> None:
    _talk(alice, 0, turns=[("tutor", "¿Hola?")], learner_seconds=0)
    assert progress_stats(alice).streak == 0


def test_topics_are_counted_per_level(alice: User) -> None:
    cafe, market, news = make_topic("Café"), make_topic("Mercado"), make_topic("Noticias")
    _talk(alice, 0, topic=cafe, level="A2")
    _talk(alice, 1, topic=cafe, level="A2")
    _talk(alice, 1, topic=market, level="A2")
    _talk(alice, 1, topic=news, level="B1")
    _talk(alice, 1, level="B1")  # free conversation: no topic
    levels = {level: (topics, n) for level, topics, n in progress_stats(alice).levels}
    assert levels["A2"] == (2, 3)
    assert levels["B1"] == (1, 2)
    assert levels["C2"] == (0, 0)


def test_phrases_learned_are_the_cards_in_long_term_review(alice: User) -> None:
    learned = make_phrase(alice, "uno")
    make_phrase(alice, "dos")
    phrase_grade(learner=alice, phrase_id=learned.pk, rating=4)
    assert progress_stats(alice).phrases == {"total": 2, "learned": 1, "due": 1}


def test_other_learners_do_not_count(alice: User, charlie: User) -> None:
    _talk(charlie, 0, learner_seconds=600)
    make_phrase(charlie, "bonjour", language="fr")
    progress = progress_stats(alice)
    assert progress.totals.conversations == 0
    assert progress.phrases["total"] == 0
    assert progress.days[-1].conversations == 0
