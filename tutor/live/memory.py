"""The learner memory's update: after a conversation ends, the text model gets the memory as
it is, the new transcripts and their corrections (tutor/prompts/memory.py), and answers with
the updated lines as JSON (`generate_content` with a response schema).

Runs off the request path (tutor/conversation/memory.py), so it can take longer than a typed
reply; a failure is `MemoryUnavailable`, and the conversations wait for the next update.
"""

from __future__ import annotations

import asyncio
import json
import logging

import aiohttp
from google import genai
from google.genai import errors, types

from tutor.live.config import classify
from tutor.prompts.memory import MEMORY_KINDS

__all__ = ["MEMORY_TIMEOUT", "MemoryUnavailable", "update_memory"]

logger = logging.getLogger(__name__)

MEMORY_TIMEOUT = 30.0
_HTTP_OPTIONS = types.HttpOptions(
    timeout=int(MEMORY_TIMEOUT * 1000), retry_options=types.HttpRetryOptions(attempts=1)
)
_SCHEMA = types.Schema(
    type=types.Type.OBJECT,
    properties={
        "lines": types.Schema(
            type=types.Type.ARRAY,
            items=types.Schema(
                type=types.Type.OBJECT,
                properties={
                    "kind": types.Schema(type=types.Type.STRING, enum=list(MEMORY_KINDS)),
                    "text": types.Schema(type=types.Type.STRING),
                },
                required=["kind", "text"],
            ),
        )
    },
    required=["lines"],
)


class MemoryUnavailable(Exception):
    """The update could not be made; `str(exc)` is safe to log (never holds the key)."""


async def update_memory(
    client: genai.Client, *, model: str, system_instruction: str, request: str
) -> list[tuple[str, str]]:
    """The updated memory as (kind, text) lines, in the model's order (most useful first).
    Lines of an unknown kind or without text are left out; the budget is the caller's."""
    config = types.GenerateContentConfig(
        system_instruction=system_instruction,
        response_mime_type="application/json",
        response_schema=_SCHEMA,
        temperature=0.2,
        http_options=_HTTP_OPTIONS.model_copy(deep=True),
    )
    contents = [types.Content(role="user", parts=[types.Part(text=request)])]
    try:
        async with asyncio.timeout(MEMORY_TIMEOUT):
            response = await client.aio.models.generate_content(
                model=model, contents=contents, config=config
            )
    except (errors.APIError, OSError, TimeoutError, aiohttp.ClientError) as exc:
        secret = getattr(getattr(client, "_api_client", None), "api_key", None)
        failure = classify(exc, secret)
        raise MemoryUnavailable(f"{failure.code}: {failure.message}") from exc
    return parse_lines(response.text or "")


def parse_lines(text: str) -> list[tuple[str, str]]:
    """The `lines` of the model's JSON answer; MemoryUnavailable if it is not that shape."""
    try:
        document = json.loads(text)
    except ValueError:
        raise MemoryUnavailable("the memory update was not JSON") from None
    lines = document.get("lines") if isinstance(document, dict) else None
    if not isinstance(lines, list):
        raise MemoryUnavailable("the memory update had no list of lines")
    return [
        (str(line["kind"]), str(line["text"]))
        for line in lines
        if isinstance(line, dict)
        and line.get("kind") in MEMORY_KINDS
        and isinstance(line.get("text"), str)
        and line["text"].strip()
    ]
