"""The abuse limits on starting a conversation: anonymous trials per browser session and per
address, and starts per learner and per address in the last hour (settings TRIAL_*,
CONVERSATION_STARTS_*). `conversation_start` applies them."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import Conversation

if TYPE_CHECKING:
    from accounts.models import User


class LimitExceeded(Exception):
    """A start refused by an abuse limit; `str(exc)` is shown to the user."""


def trial_refusal(*, session_key: str, ip: str | None) -> str | None:
    """Why a new anonymous trial is refused, or None. Counted over TRIAL_WINDOW_SECONDS."""
    since = timezone.now() - timedelta(seconds=settings.TRIAL_WINDOW_SECONDS)
    # A trial page opened and abandoned before anything was said (swept, no turns) used nothing.
    recent = (
        Conversation.objects.trials_since(since)
        .filter(Q(status=Conversation.Status.ACTIVE) | Q(turns__isnull=False))
        .distinct()
    )
    if session_key and recent.filter(trial_session_key=session_key).count() >= (
        settings.TRIALS_PER_SESSION
    ):
        return _("You've used your free minute. Sign up (it's free) to keep talking.")
    if ip and recent.filter(trial_ip=ip).count() >= settings.TRIALS_PER_IP:
        return _(
            "Too many free trials from your network today. Sign up (it's free) to keep talking."
        )
    return None


def check_start_rate(learner: User, ip: str | None) -> None:
    """Starts in the last hour, per learner and per address (many accounts from one place)."""
    recent = Conversation.objects.filter(started_at__gte=timezone.now() - timedelta(hours=1))
    if recent.filter(learner=learner).count() >= settings.CONVERSATION_STARTS_PER_HOUR:
        raise LimitExceeded(
            _(
                "You've started a lot of conversations in the last hour. "
                "Take a short break and try again soon."
            )
        )
    if ip and recent.filter(start_ip=ip).count() >= settings.CONVERSATION_STARTS_PER_IP_PER_HOUR:
        raise LimitExceeded(
            _(
                "A lot of conversations have been started from your network in the last hour. "
                "Try again soon."
            )
        )
