"""Give a new (or returning) account the trial conversations its browser held."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in, user_signed_up
from django.dispatch import receiver
from django.http import HttpRequest

from lessons.services.conversations import conversation_attach_trials

# The same session key the conversation views write
# (tutor.conversation.access.TRIAL_SESSION_KEY); lessons may not import tutor, so it is
# spelled out here.
TRIAL_SESSION_KEY = "trial_conversations"


@receiver(user_signed_up)
@receiver(user_logged_in)
def attach_trials(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    ids = request.session.get(TRIAL_SESSION_KEY) if hasattr(request, "session") else None
    if ids:
        conversation_attach_trials(user=user, conversation_ids=list(ids))
        request.session[TRIAL_SESSION_KEY] = []
