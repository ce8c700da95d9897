""" "What could I say?": the suggested replies a learner asks for during a conversation.

A hint is asked at a point of the conversation (the ordinal its next turn would get). The
suggestions of a point are stored once and served again, without another model call, until
someone speaks (`hint_cached`). Each model call counts against the hourly limits
(`hint_check_rate`: per learner, or per browser session for a trial, and per address), in
the style of `lessons.services.limits`; `hint_begin` counts the call before it is made, so a
failing call is not free.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import Conversation, Hint
from lessons.services.conversations import conversation_next_ordinal
from lessons.services.limits import LimitExceeded

MAX_SUGGESTIONS = 3
MAX_SUGGESTION_CHARS = 200


def hint_point(*, conversation_id: UUID) -> int:
    """Where the conversation is: the ordinal its next turn will get."""
    return conversation_next_ordinal(conversation_id=conversation_id)


def hint_cached(*, conversation_id: UUID, point: int) -> Hint | None:
    """The hint already given at this point, if its suggestions came back."""
    hint = Hint.objects.filter(conversation_id=conversation_id, next_ordinal=point).first()
    return hint if hint is not None and hint.suggestions else None


def hint_check_rate(*, conversation: Conversation, ip: str | None) -> None:
    """Model calls for hints in the last hour, per learner (a trial: per browser session) and
    per address. Raises LimitExceeded with a message for the learner."""
    recent = Hint.objects.filter(created_at__gte=timezone.now() - timedelta(hours=1))
    if conversation.learner_id is not None:
        mine = recent.filter(conversation__learner_id=conversation.learner_id)
    else:
        mine = recent.filter(conversation__trial_session_key=conversation.trial_session_key)
    if _calls(mine) >= settings.HINTS_PER_HOUR:
        raise LimitExceeded(
            _(
                "You've asked for a lot of hints in the last hour. Try answering in your own "
                "words, or take a short break."
            )
        )
    if ip and _calls(recent.filter(ip=ip)) >= settings.HINTS_PER_IP_PER_HOUR:
        raise LimitExceeded(
            _(
                "A lot of hints have been asked for from your network in the last hour. "
                "Try again later."
            )
        )


def hint_begin(*, conversation_id: UUID, point: int, ip: str | None) -> Hint:
    """Count one model call for this point: a new row, or one more attempt on a row whose
    earlier call failed (or is still running in another request)."""
    try:
        with transaction.atomic():
            return Hint.objects.create(conversation_id=conversation_id, next_ordinal=point, ip=ip)
    except IntegrityError:
        Hint.objects.filter(conversation_id=conversation_id, next_ordinal=point).update(
            attempts=F("attempts") + 1
        )
        return Hint.objects.get(conversation_id=conversation_id, next_ordinal=point)


def hint_store(*, hint_id: int, suggestions: list[dict[str, str]]) -> Hint:
    """Keep the suggestions the model gave (cut to the limits a page can show)."""
    clean = [
        {
            "text": str(item["text"]).strip()[:MAX_SUGGESTION_CHARS],
            "gloss": str(item.get("gloss", "")).strip()[:MAX_SUGGESTION_CHARS],
        }
        for item in suggestions[:MAX_SUGGESTIONS]
    ]
    Hint.objects.filter(pk=hint_id).update(suggestions=clean)
    return Hint.objects.get(pk=hint_id)


def hint_choose(*, conversation_id: UUID, hint_id: int, index: int) -> bool:
    """Note which suggestion the learner took into the typing box. False if there is no such
    hint in this conversation or no such suggestion."""
    hint = Hint.objects.filter(pk=hint_id, conversation_id=conversation_id).first()
    if hint is None or not 0 <= index < len(hint.suggestions):
        return False
    Hint.objects.filter(pk=hint.pk).update(chosen=index)
    return True


def _calls(hints: Any) -> int:
    return int(hints.aggregate(n=Sum("attempts"))["n"] or 0)
