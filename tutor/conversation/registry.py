"""The conversations open in this process, by id.

A runtime is added by the consumer that creates it and removes itself when it finishes, so a
page that reconnects within the grace period (to the same process) finds its conversation
still talking. Tests look here for runtimes a test left behind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

if TYPE_CHECKING:
    from tutor.conversation.runtime import ConversationRuntime

REGISTRY: dict[UUID, ConversationRuntime] = {}
