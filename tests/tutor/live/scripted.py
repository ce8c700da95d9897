"""LiveTutor over scripted sessions (tests/fakes.py): the settings and a started tutor that
the bridge's tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from tests.fakes import TOOLS, FakeLiveClient
from tutor.live.config import LiveSettings
from tutor.live.events import Event, Transcript
from tutor.live.session import LiveTutor

SETTINGS = LiveSettings(
    model="gemini-3.8-live",
    system_instruction="Eres un tutor de español.",
    voice="Kore",
    language_code="es-ES",
    tools=TOOLS,
    opener="Saluda al alumno.",
    backoff=0.001,
    connect_timeout=0.2,
)
CORRECTION = ("fc1", "note_correction", {
    "original": "tengo veinte año",
    "corrected": "tengo veinte años",
    "explanation": "Plural.",
    "kind": "grammar",
})  # fmt: skip


def learner(text: str, **kw: Any) -> Transcript:
    return Transcript(speaker="learner", text=text, final=False, **kw)


def tutor_said(text: str) -> Transcript:
    return Transcript(speaker="tutor", text=text, final=False)


async def started(
    *connections: object, settings: LiveSettings = SETTINGS
) -> tuple[LiveTutor, FakeLiveClient, AsyncIterator[Event]]:
    client = FakeLiveClient(*connections)
    tutor = LiveTutor(client, settings)  # type: ignore[arg-type]
    await tutor.start()
    return tutor, client, tutor.events()
