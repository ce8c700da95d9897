"""The rubric proposal: one `generate_content` call with a JSON schema (the prompt is
tutor/prompts/rubrics.py). The answer is parsed here and checked by the caller's service: this
module only makes sure it has the requested shape."""

from __future__ import annotations

import json
import logging
from typing import Any

from google import genai
from google.genai import types

from tutor.live.one_call import generate_once
from tutor.live.text_reply import TutorUnavailable
from tutor.live.texts import gettext_noop

logger = logging.getLogger(__name__)
UNAVAILABLE = gettext_noop(
    "The tutor could not propose scores right now. Try again, or score by hand."
)
RUBRIC_TIMEOUT = 8.0  # seconds: the teacher waits on the page, as for a drill's check
_EVIDENCE = types.Schema(
    type=types.Type.OBJECT,
    properties={
        "conversation": types.Schema(type=types.Type.STRING),
        "ordinal": types.Schema(type=types.Type.INTEGER),
    },
    required=["conversation", "ordinal"],
)
SCHEMA = types.Schema(
    type=types.Type.OBJECT,
    properties={
        "scores": types.Schema(
            type=types.Type.ARRAY,
            items=types.Schema(
                type=types.Type.OBJECT,
                properties={
                    "criterion": types.Schema(type=types.Type.STRING),
                    "points": types.Schema(type=types.Type.INTEGER),
                    "rationale": types.Schema(type=types.Type.STRING),
                    "evidence": types.Schema(type=types.Type.ARRAY, items=_EVIDENCE),
                },
                required=["criterion", "points", "rationale", "evidence"],
            ),
        )
    },
    required=["scores"],
)


async def propose_scores(
    client: genai.Client, *, model: str, system: str, request: str
) -> list[dict[str, Any]]:
    """The model's proposals, one dict per criterion. Raises TutorUnavailable."""
    config = types.GenerateContentConfig(
        system_instruction=system,
        response_mime_type="application/json",
        response_schema=SCHEMA,
        temperature=0.0,
    )
    contents = [types.Content(role="user", parts=[types.Part(text=request)])]
    response = await generate_once(
        client, model=model, contents=contents, config=config, seconds=RUBRIC_TIMEOUT,
        unavailable=UNAVAILABLE, log=logger, what="rubric",
    )  # fmt: skip
    try:
        scores = json.loads(response.text or "{}").get("scores")
    except (ValueError, AttributeError):
        raise TutorUnavailable(UNAVAILABLE) from None
    if not isinstance(scores, list):
        raise TutorUnavailable(UNAVAILABLE)
    return [s for s in scores if isinstance(s, dict)]
