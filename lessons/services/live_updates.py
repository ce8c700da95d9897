"""Tell a teacher's open assignment page what its learners are doing, through the channel layer.

The conversation consumer calls `publish_activity`;
`tutor.conversation.teacher_consumer.TeacherLiveConsumer` relays each message to the teacher's
browser. A broken channel layer (Redis down) is logged and
swallowed: a learner's conversation must never fail because nobody could be told about it.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from channels.layers import get_channel_layer
from django.utils import timezone

logger = logging.getLogger(__name__)

Activity = Literal["started", "speaking", "listening", "turn", "noted", "ended"]
ACTIVITIES: tuple[Activity, ...] = ("started", "speaking", "listening", "turn", "noted", "ended")
# These carry the learner's evidence row as the page shows it (phrases used, corrections):
# a line was stored, a correction noted, the conversation ended.
WITH_EVIDENCE: frozenset[str] = frozenset({"turn", "noted", "ended"})
# The consumer method that receives these messages (channels maps "." to "_").
MESSAGE_TYPE = "assignment.activity"


def group_name(assignment_id: int) -> str:
    return f"assignment-{assignment_id}"


async def publish_activity(
    *,
    assignment_id: int,
    learner_id: int,
    learner_name: str,
    kind: Activity,
    speaking_seconds: float = 0.0,
    evidence: dict[str, Any] | None = None,
) -> None:
    """`speaking_seconds` is the learner's own speaking time in the current conversation;
    `evidence` their `phrases` and `corrections` for the assignment
    (lessons.selectors.evidence.live_evidence), sent along as they are."""
    if kind not in ACTIVITIES:
        logger.warning("unknown activity %r for assignment %s", kind, assignment_id)
        return
    payload = {
        "type": "activity",
        "kind": kind,
        "learner_id": learner_id,
        "learner_name": learner_name,
        "speaking_seconds": round(float(speaking_seconds), 1),
        "at": timezone.now().isoformat(),
        **(evidence or {}),
    }
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await layer.group_send(
            group_name(assignment_id), {"type": MESSAGE_TYPE, "payload": payload}
        )
    except Exception:  # any layer failure (Redis down, timeouts) must not end a conversation
        logger.warning("live update for assignment %s not sent", assignment_id, exc_info=True)
