"""Who may talk in a conversation: its learner, or the browser session that began the trial."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lessons.models import Conversation
from tutor.conversation import protocol

if TYPE_CHECKING:
    from django.http import HttpRequest

TRIAL_SESSION_KEY = "trial_conversations"
HTTP_STATUS = {
    protocol.CLOSE_NOT_SIGNED_IN: 401,
    protocol.CLOSE_NOT_YOURS: 404,  # not 403: do not confirm that someone else's exists
    protocol.CLOSE_GONE: 410,
    protocol.CLOSE_TRIAL_OVER: 403,
}


def request_scope(request: HttpRequest) -> dict[str, Any]:
    """An HTTP request's visitor as `refusal` and `owns` read it (a Channels scope's keys)."""
    return {"user": request.user, "session": request.session}


def refusal(conversation: Conversation | None, scope: dict[str, Any]) -> int | None:
    """The WebSocket close code refusing this visitor, or None if they may talk.
    `scope` holds "user" and "session" (a Channels scope, or built from an HTTP request)."""
    user, session = scope.get("user"), scope.get("session")
    if conversation is None:
        return protocol.CLOSE_NOT_YOURS
    if conversation.learner_id is not None:
        if user is None or not user.is_authenticated:
            return protocol.CLOSE_NOT_SIGNED_IN
        if user.pk != conversation.learner_id:
            return protocol.CLOSE_NOT_YOURS
    elif session is None or str(conversation.pk) not in session.get(TRIAL_SESSION_KEY, []):
        return protocol.CLOSE_NOT_YOURS
    if conversation.status != Conversation.Status.ACTIVE:
        # An expired trial stays "trial over" however often the page reconnects.
        if conversation.end_reason == "trial_over":
            return protocol.CLOSE_TRIAL_OVER
        return protocol.CLOSE_GONE
    return None


def owns(conversation: Conversation, scope: dict[str, Any]) -> bool:
    """Ownership alone (for reading an ended conversation)."""
    code = refusal(conversation, scope)
    return code in (None, protocol.CLOSE_GONE, protocol.CLOSE_TRIAL_OVER)


def client_ip(request: HttpRequest) -> str | None:
    """The address the per-IP limits count: REMOTE_ADDR only, which Daphne sets from the
    proxy's X-Real-IP when run with --proxy-headers (docs/deploy.md). X-Forwarded-For is
    client-controlled and would let anyone dodge the per-IP trial and drill limits."""
    return request.META.get("REMOTE_ADDR") or None
