""" "What could I say?": two or three replies the learner could say next, from the text model
(`generate_content` over HTTP, JSON out against a response schema). The prompt is built by
`tutor.prompts.hints`; the view (tutor/hints.py) stores what comes back.

Why the text model and not the Live session through a tool: the hint is asked while the
learner is silent, and a tool call on the Live session would either make the tutor speak
(a turn the learner did not take) or wait for the tutor's next turn; a separate HTTP request
answers at once, works in text mode and for trials alike, and measured well inside its budget
(README, Performance). Without a key it goes to the emulator (tutor/emulator/hints.py).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from google import genai
from google.genai import types

from tutor.live.one_call import generate_once
from tutor.live.text_reply import TutorUnavailable
from tutor.live.texts import gettext_noop
from tutor.prompts.hints import HINT_COUNT, SCHEMA

__all__ = ["HINT_TIMEOUT", "BadHints", "Suggestion", "parse_suggestions", "suggest_replies"]

logger = logging.getLogger(__name__)

# The learner is waiting with the panel open: answer or fail within a few seconds, with one
# attempt (the SDK's retries back off for seconds; see text_reply.py). Pressing again retries.
HINT_TIMEOUT = 4.0
_HTTP_OPTIONS = types.HttpOptions(
    timeout=int(HINT_TIMEOUT * 1000), retry_options=types.HttpRetryOptions(attempts=1)
)
UNAVAILABLE = gettext_noop("Suggestions aren't available right now. Try again in a moment.")
UNREADABLE = gettext_noop("The suggestions came back garbled. Try again in a moment.")
MAX_CHARS = 200


@dataclass(frozen=True)
class Suggestion:
    text: str  # in the target language
    gloss: str  # its meaning, in the learner's native language


class BadHints(ValueError):
    """The model's answer is not the JSON asked for; the message says what is wrong."""


async def suggest_replies(
    client: genai.Client, *, model: str, system_instruction: str, request: str
) -> list[Suggestion]:
    """Two or three suggestions. Raises TutorUnavailable (with a safe message)."""
    config = types.GenerateContentConfig(
        system_instruction=system_instruction,
        response_mime_type="application/json",
        response_schema=types.Schema.model_validate(SCHEMA),
        temperature=0.7,  # some variety between points; the schema keeps the shape
        http_options=_HTTP_OPTIONS.model_copy(deep=True),
    )
    contents = [types.Content(role="user", parts=[types.Part(text=request)])]
    response = await generate_once(
        client, model=model, contents=contents, config=config, seconds=HINT_TIMEOUT,
        unavailable=UNAVAILABLE, log=logger, what="hints",
    )  # fmt: skip
    try:
        return parse_suggestions(response.text or "")
    except BadHints as exc:
        logger.info("hints: unusable answer from the model: %s", exc)
        raise TutorUnavailable(UNREADABLE, "bad_hints") from exc


def parse_suggestions(raw: str) -> list[Suggestion]:
    """The suggestions in the model's JSON. Empty or repeated entries are dropped; fewer than
    two usable ones, or anything but {"suggestions": [{"text", "gloss"}, ...]}, is BadHints."""
    try:
        body = json.loads(raw)
    except ValueError:
        raise BadHints(f"not JSON: {raw[:80]!r}") from None
    items = body.get("suggestions") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise BadHints('no "suggestions" list')
    found: list[Suggestion] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise BadHints(f"a suggestion is not an object with a text: {item!r:.80}")
        text = " ".join(item["text"].split())[:MAX_CHARS]
        gloss = item.get("gloss")
        gloss = " ".join(gloss.split())[:MAX_CHARS] if isinstance(gloss, str) else ""
        if text and text.casefold() not in {s.text.casefold() for s in found}:
            found.append(Suggestion(text, gloss))
    if len(found) < 2:
        raise BadHints(f"{len(found)} usable suggestion(s), at least 2 expected")
    return found[:HINT_COUNT]
