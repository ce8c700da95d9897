"""Learner audio as the Live API's `realtime_input` frame, built without the SDK's per-call
validation (the relay sends one 50 times a second)."""

from __future__ import annotations

import base64

from google.genai import types
from google.genai.live import AsyncSession

from tutor.live.config import AUDIO_IN_MIME


def _audio_blob(pcm: bytes) -> types.Blob:
    return types.Blob(data=pcm, mime_type=AUDIO_IN_MIME)


_AUDIO_MIME_FIELD = f'"mime_type": "{AUDIO_IN_MIME}"'


def audio_message(pcm: bytes) -> str:
    """The frame `send_realtime_input(audio=_audio_blob(pcm))` sends to the Gemini API:
    tests/tutor/live/test_realtime_input.py checks it against the SDK's own, byte for byte."""
    data = base64.urlsafe_b64encode(pcm).decode("ascii")  # nothing in it needs JSON escaping
    return f'{{"realtime_input": {{"audio": {{"data": "{data}", {_AUDIO_MIME_FIELD}}}}}}}'


async def send_audio_frame(session: AsyncSession, pcm: bytes) -> None:
    """Learner audio, 50 times a second: the SDK's pydantic validation and conversion per
    call were a fifth of the relay's CPU (bench/relay.py), so the frame is built directly.
    An SDK whose session has no `_ws` gets the documented call."""
    ws = getattr(session, "_ws", None)
    if ws is None:
        await session.send_realtime_input(audio=_audio_blob(pcm))
    else:
        await ws.send(audio_message(pcm))
