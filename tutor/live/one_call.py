"""One `generate_content` call, bounded and attempted once, for the pages that ask the text or
TTS model something (drills, hints, words, placement, rubric proposals): a failure becomes
`TutorUnavailable`, with our sentence for its kind when it is fatal (a bad key, no quota, a
refused request: `tutor.live.texts.failure_text`) and the caller's `unavailable` sentence
otherwise. Gemini's own message goes to the log, never to the learner."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from google import genai
from google.genai import errors, types

from tutor.live.config import classify
from tutor.live.text_reply import TutorUnavailable
from tutor.live.texts import failure_text


async def generate_once(
    client: genai.Client,
    *,
    model: str,
    contents: list[types.Content],
    config: types.GenerateContentConfig,
    seconds: float,
    unavailable: str,
    log: logging.Logger,
    what: str,
) -> types.GenerateContentResponse:
    """The model's response within `seconds`; raises TutorUnavailable. `what` names the
    caller in the log."""
    try:
        async with asyncio.timeout(seconds):
            return await client.aio.models.generate_content(
                model=model, contents=contents, config=config
            )
    except (errors.APIError, OSError, TimeoutError, aiohttp.ClientError) as exc:
        secret = getattr(getattr(client, "_api_client", None), "api_key", None)
        failure = classify(exc, secret)
        log.info("%s: Gemini unavailable (%s: %s)", what, failure.code, failure.message)
        if failure.fatal:
            raise TutorUnavailable(failure_text(failure.code, unavailable), failure.code) from exc
        raise TutorUnavailable(unavailable) from exc
