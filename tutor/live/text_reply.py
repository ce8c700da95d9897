"""The typed fallback's tutor reply: one `generate_content` call over HTTP, no WebSocket.

Used by `tutor.views.message` when the page cannot open the conversation socket.
"""

from __future__ import annotations

import asyncio

import aiohttp
from google import genai
from google.genai import errors, types

from tutor.live.config import classify

__all__ = ["TutorUnavailable", "generate_text_reply"]


class TutorUnavailable(Exception):
    """Gemini cannot answer right now; `str(exc)` is safe to show (never holds the key)."""

    def __init__(self, message: str, code: str = "upstream_unavailable") -> None:
        super().__init__(message)
        self.code = code


TEXT_TIMEOUT = 30.0  # seconds for one generate_content call


async def generate_text_reply(
    client: genai.Client,
    *,
    model: str,
    system_instruction: str,
    history: list[tuple[str, str]],
    message: str,
) -> str:
    """One tutor reply by `generate_content`. `history` is (speaker, text) pairs, speaker
    "learner" or "tutor", oldest first. Raises TutorUnavailable with a safe message."""
    contents = [_content(speaker, text) for speaker, text in history if text.strip()]
    contents.append(_content("learner", message))
    config = types.GenerateContentConfig(system_instruction=system_instruction)
    try:
        async with asyncio.timeout(TEXT_TIMEOUT):
            response = await client.aio.models.generate_content(
                model=model, contents=contents, config=config
            )
    except (errors.APIError, OSError, TimeoutError, aiohttp.ClientError) as exc:
        secret = getattr(getattr(client, "_api_client", None), "api_key", None)
        failure = classify(exc, secret)
        code = failure.code if failure.fatal else "upstream_unavailable"
        raise TutorUnavailable(failure.message, code) from exc
    text = (response.text or "").strip()
    if not text:
        raise TutorUnavailable("Gemini returned an empty reply.")
    return text


def _content(speaker: str, text: str) -> types.Content:
    role = "model" if speaker == "tutor" else "user"
    return types.Content(role=role, parts=[types.Part(text=text)])
