"""Live activity of learners in an assignment, broadcast to its teacher's dashboard."""

from __future__ import annotations

import logging
from typing import Literal

from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

Activity = Literal["started", "speaking", "listening", "turn", "ended"]


def group_name(assignment_id: int) -> str:
    return f"assignment-{assignment_id}"


async def publish_activity(
    *,
    assignment_id: int,
    learner_id: int,
    learner_name: str,
    kind: Activity,
    speaking_seconds: float = 0.0,
) -> None:
    """Tell the assignment's live view what a learner is doing. Never raises: a channel-layer
    outage (Redis down) must not break the conversation itself."""
    layer = get_channel_layer()
    if layer is None:
        return
    message = {
        "type": "assignment.activity",
        "learner_id": learner_id,
        "learner_name": learner_name,
        "kind": kind,
        "speaking_seconds": round(speaking_seconds, 1),
    }
    try:
        await layer.group_send(group_name(assignment_id), message)
    except Exception:
        logger.warning("could not publish activity for assignment %s", assignment_id,
                       exc_info=True)
