"""ConversationRuntime's tutor-audio path: a socket that closes mid-send ends nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.utils import timezone

from tutor.conversation.runtime import ConversationRuntime
from tutor.live import events as ev

pytestmark = pytest.mark.asyncio


class GoneSink:
    """A browser socket that closed before its disconnect reached the consumer."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    async def send_audio(self, pcm: bytes) -> None:
        raise ConnectionError("Attempt to send on a closed protocol")

    async def send_event(self, payload: dict[str, Any]) -> None:
        self.events.append(payload)

    async def close_with(self, code: int) -> None:
        pass


def runtime() -> ConversationRuntime:
    return ConversationRuntime(
        conversation_id=uuid.uuid4(),
        started_at=timezone.now(),
        trial=False,
        first_activity_at=None,
        tutor=object(),  # type: ignore[arg-type]  (never started here)
    )


async def test_tutor_audio_to_a_closed_socket_is_dropped_and_the_pump_carries_on() -> None:
    conversation, sink = runtime(), GoneSink()
    conversation.attach(sink)
    conversation.stats.speech_ended(1.0)
    await conversation._handle(ev.TutorAudio(pcm=b"\x00\x00" * 480))
    await conversation._handle(ev.Interrupted())
    assert sink.events == [{"type": "interrupted"}]
    assert conversation.stats.tutor_seconds == pytest.approx(0.02)
    assert conversation.stats.latencies_ms == []  # nothing reached the learner: no sample
