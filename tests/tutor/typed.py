"""The typed HTTP fallback as the page uses it: a signed-in learner posting lines."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from django.urls import reverse

from accounts.models import User
from lessons.models import Conversation


async def typing_in(async_client: Any, learner: User, **fields: Any) -> Conversation:
    """A new conversation of `learner`'s in Spanish, with `learner` signed in."""
    conversation = await database_sync_to_async(Conversation.objects.create)(
        learner=learner, language="es", level="A2", **fields
    )
    await async_client.aforce_login(learner)
    return conversation


async def post_line(async_client: Any, conversation: Conversation, text: str) -> Any:
    """One typed line, posted as the page posts it (JSON)."""
    url = reverse("tutor:message", args=[conversation.pk])
    return await async_client.post(url, {"text": text}, content_type="application/json")
