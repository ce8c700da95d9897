"""What the learner's deck shows: cards waiting now and later today, the card to show next,
and its faces. Grading is in `lessons.services.deck`.

A card never reviewed (reps == 0) is "new": at most NEW_PER_DAY of those are introduced per day,
so a long conversation history doesn't bury the learner in hundreds of cards on day one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lessons.models import Phrase, Review

if TYPE_CHECKING:
    from accounts.models import User

NEW_PER_DAY = 20
# Like Anki's learn-ahead limit: when nothing else is due, a card in its learning steps that is
# due within this window is shown now, so a session can end instead of waiting for a timer.
LEARN_AHEAD = timedelta(minutes=20)


def start_of_day(moment: datetime | None = None, days: int = 0) -> datetime:
    """Midnight (site time zone) of `moment`'s day (now by default), `days` later."""
    day = timezone.localdate(moment) + timedelta(days=days)
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def start_of_today() -> datetime:
    return start_of_day()


def _counts(user: User, now: datetime) -> dict[str, Any]:
    today = start_of_day(now)
    reviewed_before_today = Review.objects.filter(phrase=OuterRef("pk"), reviewed_at__lt=today)
    seen = Q(reps__gt=0)
    soon = seen & ~Q(state=Phrase.State.REVIEW) & Q(due__gt=now, due__lte=now + LEARN_AHEAD)
    return Phrase.objects.filter(learner=user).aggregate(
        total=Count("pk"),
        new=Count("pk", filter=~seen),
        due_now=Count("pk", filter=seen & Q(due__lte=now)),
        due_today=Count("pk", filter=seen & Q(due__lt=today + timedelta(days=1))),
        introduced_today=Count(
            "pk", filter=Q(seen, Q(last_review__gte=today), ~Exists(reviewed_before_today))
        ),
        next_due=Min("due", filter=seen & Q(due__gt=now)),
        learned=Count("pk", filter=Q(state=Phrase.State.REVIEW)),
        learning_soon=Count("pk", filter=soon),
        next_after_session=Min("due", filter=seen & Q(due__gt=now) & ~soon),
    )


def deck_summary(user: User, now: datetime | None = None) -> dict[str, Any]:
    """What the learner's home shows: cards waiting now and later today, in one query.

    Keys: total, learned, due_now (reviews due now plus today's new cards), due_today (the same
    until midnight), new_today, new_waiting (new cards kept for later days), next_due (the
    next review after now, or None), session_left (due_now plus the cards in their learning
    steps that the deck shows early, LEARN_AHEAD), next_after_session (the first card due
    once those are done, or None)."""
    counts = _counts(user, now or timezone.now())
    new_today = min(counts["new"], max(0, NEW_PER_DAY - counts["introduced_today"]))
    return {
        "total": counts["total"],
        "learned": counts["learned"],
        "due_now": counts["due_now"] + new_today,
        "due_today": counts["due_today"] + new_today,
        "new_today": new_today,
        "new_waiting": counts["new"] - new_today,
        "next_due": counts["next_due"],
        "session_left": counts["due_now"] + new_today + counts["learning_soon"],
        "next_after_session": counts["next_after_session"],
    }


@dataclass(frozen=True)
class Outlook:
    """What the deck says once today's session is done: the next batch of cards (how many,
    on which day, from what time) and how many new cards tomorrow brings."""

    next_count: int
    next_at: datetime | None
    days_away: int  # 0: later today, 1: tomorrow …
    new_tomorrow: int

    @property
    def finished_for_today(self) -> bool:
        """Nothing more comes back before midnight."""
        return self.next_at is None or self.days_away > 0

    @property
    def next_day(self) -> str:
        """ "today", "tomorrow", or "on" a weekday and date, in the site's time zone and the
        learner's language (date_format names the weekday and month in it)."""
        if self.next_at is None or self.days_away <= 0:
            return _("today") if self.next_at else ""
        if self.days_away == 1:
            return _("tomorrow")
        # The pattern is the translators': "l, j. F" in German, "n月j日（l）" in Japanese.
        pattern = pgettext("date format (Django's date filter): weekday, day, month", "l j F")
        on = date_format(timezone.localtime(self.next_at), pattern)
        # Translators: when the next card comes back, e.g. "on Tuesday 8 December".
        return _("on %(date)s") % {"date": on}


def deck_outlook(user: User, summary: dict[str, Any], now: datetime | None = None) -> Outlook:
    """The cards due on the day of the first card after the session, from that card on."""
    first = summary["next_after_session"]
    new_tomorrow = min(summary["new_waiting"], NEW_PER_DAY)
    if first is None:
        return Outlook(0, None, 0, new_tomorrow)
    day_end = start_of_day(first, days=1)
    count = Phrase.objects.filter(learner=user, reps__gt=0, due__gte=first, due__lt=day_end).count()
    days_away = (timezone.localdate(first) - timezone.localdate(now or timezone.now())).days
    return Outlook(count, first, days_away, new_tomorrow)


def _cards(user: User) -> QuerySet[Any]:
    return Phrase.objects.filter(learner=user).select_related(
        "source_correction", "source_upgrade", "source_turn", "conversation__topic"
    )


def next_card(user: User, *, new_allowed: bool, now: datetime | None = None) -> Phrase | None:
    """The card to show now: a due review, else a new card if today's allowance has room,
    else a learning step due within LEARN_AHEAD."""
    now = now or timezone.now()
    seen = _cards(user).filter(reps__gt=0)
    card = seen.filter(due__lte=now).order_by("due", "pk").first()
    if card is None and new_allowed:
        card = _cards(user).filter(reps=0).order_by("created_at", "pk").first()
    if card is None:
        learning = seen.exclude(state=Phrase.State.REVIEW)
        card = learning.filter(due__lte=now + LEARN_AHEAD).order_by("due", "pk").first()
    return card


@dataclass(frozen=True)
class CardFace:
    """What the learner sees before (prompt) and after (answer) revealing a card."""

    instruction: str
    prompt: str
    answer: str
    explanation: str
    is_correction: bool  # drawn as "said -> better" with the changed words marked
    is_upgrade: bool = False  # a correct line said better, not a fix


def card_face(phrase: Phrase) -> CardFace:
    correction = phrase.source_correction
    if correction is not None:
        return CardFace(
            _("Say it better:"), correction.original, phrase.text, correction.explanation, True
        )
    upgrade = phrase.source_upgrade
    if upgrade is not None:
        return CardFace(
            _("Say it more naturally:"),
            upgrade.original,
            phrase.text,
            upgrade.explanation,
            True,
            True,
        )
    if phrase.translation:
        return CardFace(
            _("Say it in %(language)s:") % {"language": phrase.get_language_display()},
            phrase.translation,
            phrase.text,
            phrase.note,
            False,
        )
    cloze = _cloze(phrase)
    if cloze:
        return CardFace(_("Fill the gap:"), cloze, phrase.text, phrase.note, False)
    return CardFace(
        _("Say this aloud and use it in a sentence:"), phrase.text, "", phrase.note, False
    )


def _cloze(phrase: Phrase) -> str:
    """The sentence the phrase came from with the phrase blanked out, if it occurs in it."""
    context = phrase.source_turn.text if phrase.source_turn else ""
    start = context.casefold().find(phrase.text.casefold())
    if not phrase.text or start < 0 or len(context) != len(context.casefold()):
        return ""
    return f"{context[:start]}…{context[start + len(phrase.text) :]}"
