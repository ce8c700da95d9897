"""The teacher's live view of one assignment: `/ws/assignments/<pk>/live/`.

Receive-only for the browser: it relays `lessons.services.live_updates` messages for the
assignment's group as JSON text frames. Close codes (`tutor.conversation.protocol`, see
docs/ARCHITECTURE.md): 4401 not signed in, 4403 not this assignment's teacher (also for an
assignment that does not exist, so that ids cannot be probed).
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from accounts.choices import Role
from lessons.models import Assignment
from lessons.services.live_updates import group_name
from tutor.conversation.protocol import CLOSE_NOT_SIGNED_IN, CLOSE_NOT_YOURS


class TeacherLiveConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self._refuse(CLOSE_NOT_SIGNED_IN)
            return
        assignment_id = int(self.scope["url_route"]["kwargs"]["pk"])
        if not await _teaches(user.pk, assignment_id):
            await self._refuse(CLOSE_NOT_YOURS)
            return
        # Join the group before accepting, so no activity published after the page is told
        # "connected" can be missed.
        self.group = group_name(assignment_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def _refuse(self, code: int) -> None:
        # Accept, then close: a refusal in the handshake reaches the page as a bare 1006, and
        # the page needs 4401/4403 to say "sign in again" instead of retrying.
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """The page only listens; whatever it sends (even malformed JSON) is ignored."""

    async def assignment_activity(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])


@database_sync_to_async
def _teaches(user_id: int, assignment_id: int) -> bool:
    return Assignment.objects.filter(
        pk=assignment_id, classroom__teacher_id=user_id, classroom__teacher__role=Role.TEACHER
    ).exists()
