"""The typed fallback's tutor reply: one `generate_content` call over HTTP, no WebSocket.

Used by `tutor.views.message` when the page cannot open the conversation socket.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from google import genai
from google.genai import errors, types

from tutor.live.config import classify

__all__ = ["TEXT_TIMEOUT", "UNAVAILABLE", "TutorUnavailable", "generate_text_reply"]

logger = logging.getLogger(__name__)


class TutorUnavailable(Exception):
    """Gemini cannot answer right now; `str(exc)` is safe to show (never holds the key)."""

    def __init__(self, message: str, code: str = "upstream_unavailable") -> None:
        super().__init__(message)
        self.code = code


# The typed fallback answers or fails within 3 s: a learner who typed because their voice
# link failed should not stare at a spinner. The budget covers the whole call; the rest of the
# 3 s is for the view's two database writes.
TEXT_TIMEOUT = 2.5
# One attempt: the SDK otherwise retries a refused connection once after sleeping 1-10 s, or
# (with retry options) backs off over several seconds, which blew the budget (7-9 s seen). The
# learner's line is already stored, so they lose nothing by sending again.
_HTTP_OPTIONS = types.HttpOptions(
    timeout=int(TEXT_TIMEOUT * 1000),  # milliseconds, per request
    retry_options=types.HttpRetryOptions(attempts=1),
)
UNAVAILABLE = "The tutor cannot answer right now. Your message is saved; try again in a moment."


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
    config = types.GenerateContentConfig(
        system_instruction=system_instruction, http_options=_HTTP_OPTIONS.model_copy(deep=True)
    )
    try:
        async with asyncio.timeout(TEXT_TIMEOUT):
            response = await client.aio.models.generate_content(
                model=model, contents=contents, config=config
            )
    except (errors.APIError, OSError, TimeoutError, aiohttp.ClientError) as exc:
        secret = getattr(getattr(client, "_api_client", None), "api_key", None)
        failure = classify(exc, secret)
        if failure.fatal:
            raise TutorUnavailable(failure.message, failure.code) from exc
        logger.info("typed fallback: Gemini unavailable (%s: %s)", failure.code, failure.message)
        raise TutorUnavailable(UNAVAILABLE) from exc
    text = (response.text or "").strip()
    if not text:
        raise TutorUnavailable("Gemini returned an empty reply.")
    return text


def _content(speaker: str, text: str) -> types.Content:
    role = "model" if speaker == "tutor" else "user"
    return types.Content(role=role, parts=[types.Part(text=text)])
