"""The spoken placement's assessment: the transcript goes to the text model with a JSON
response schema, `generate_content` over HTTP, and the parsed JSON comes back as it is.

Tertulia checks it afterwards (lessons.placement_rules): levels in A1-C2, every quote a real
learner turn. Without a key the emulator answers (tutor/emulator/placement_assess.py).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from google import genai
from google.genai import types

from tutor.live.one_call import generate_once
from tutor.live.text_reply import TutorUnavailable
from tutor.live.texts import gettext_noop

__all__ = ["ASSESS_TIMEOUT", "ASSESS_UNAVAILABLE", "TutorUnavailable", "assess_placement"]

logger = logging.getLogger(__name__)

# A few minutes of transcript to read and judge; the learner watches a "Working out your
# level" notice, so one attempt with a bound (see text_reply.py), and a retry button after.
ASSESS_TIMEOUT = 20.0
_HTTP_OPTIONS = types.HttpOptions(
    timeout=int(ASSESS_TIMEOUT * 1000), retry_options=types.HttpRetryOptions(attempts=1)
)
ASSESS_UNAVAILABLE = gettext_noop(
    "Your level could not be worked out right now. Your conversation is saved; try again."
)

_LEVEL = types.Schema(type=types.Type.STRING, enum=["A1", "A2", "B1", "B2", "C1", "C2"])
_QUOTE = types.Schema(
    type=types.Type.OBJECT,
    properties={
        "turn": types.Schema(type=types.Type.INTEGER),
        "quote": types.Schema(type=types.Type.STRING),
    },
    required=["turn", "quote"],
)
_SKILL = types.Schema(
    type=types.Type.OBJECT,
    properties={
        "skill": types.Schema(
            type=types.Type.STRING, enum=["range", "accuracy", "fluency", "interaction"]
        ),
        "level": _LEVEL,
        "rationale": types.Schema(type=types.Type.STRING),
        "quotes": types.Schema(type=types.Type.ARRAY, items=_QUOTE),
    },
    required=["skill", "level", "rationale", "quotes"],
)
ASSESSMENT_SCHEMA = types.Schema(
    type=types.Type.OBJECT,
    properties={
        "skills": types.Schema(type=types.Type.ARRAY, items=_SKILL),
        "suggested_level": _LEVEL,
        "summary": types.Schema(type=types.Type.STRING),
    },
    required=["skills", "suggested_level", "summary"],
)


async def assess_placement(
    client: genai.Client, *, model: str, system_instruction: str, request: str
) -> dict[str, Any]:
    """The model's assessment as parsed JSON (not yet checked). Raises TutorUnavailable."""
    config = types.GenerateContentConfig(
        system_instruction=system_instruction,
        response_mime_type="application/json",
        response_schema=ASSESSMENT_SCHEMA,
        temperature=0.0,
        http_options=_HTTP_OPTIONS.model_copy(deep=True),
    )
    contents = [types.Content(role="user", parts=[types.Part(text=request)])]
    response = await generate_once(
        client, model=model, contents=contents, config=config, seconds=ASSESS_TIMEOUT,
        unavailable=ASSESS_UNAVAILABLE, log=logger, what="placement",
    )  # fmt: skip
    try:
        data = json.loads(response.text or "")
    except (ValueError, TypeError):
        raise TutorUnavailable(ASSESS_UNAVAILABLE, "bad_assessment") from None
    if not isinstance(data, dict):
        raise TutorUnavailable(ASSESS_UNAVAILABLE, "bad_assessment")
    return data
