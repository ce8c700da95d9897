"""A word of a caption explained by the text model: `generate_content` over HTTP with a JSON
response schema ({lemma, meaning, pos, example}). Without a key it goes to the emulator
(tutor/emulator/lookup.py). Errors, and answers that are not the asked-for shape, become
`TutorUnavailable` with a safe message."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from google import genai
from google.genai import types

from tutor.live.one_call import generate_once
from tutor.live.text_reply import TutorUnavailable
from tutor.live.texts import gettext_noop
from tutor.prompts.words import (
    PARTS_OF_SPEECH,
    WordQuestion,
    explain_request,
    explain_system_instruction,
)

__all__ = ["LOOKUP_TIMEOUT", "TutorUnavailable", "WordAnswer", "WordQuestion", "explain_word"]

logger = logging.getLogger(__name__)

# The learner is waiting on a popover: a bound and one attempt, as for the typed fallback.
LOOKUP_TIMEOUT = 6.0
_HTTP_OPTIONS = types.HttpOptions(
    timeout=int(LOOKUP_TIMEOUT * 1000), retry_options=types.HttpRetryOptions(attempts=1)
)
_SCHEMA = types.Schema(
    type=types.Type.OBJECT,
    properties={
        "lemma": types.Schema(type=types.Type.STRING),
        "meaning": types.Schema(type=types.Type.STRING),
        "pos": types.Schema(type=types.Type.STRING, enum=list(PARTS_OF_SPEECH)),
        "example": types.Schema(type=types.Type.STRING),
    },
    required=["lemma", "meaning", "pos", "example"],
    property_ordering=["lemma", "meaning", "pos", "example"],
)
UNAVAILABLE = gettext_noop("This word cannot be explained right now. Try again in a moment.")
BAD_ANSWER = gettext_noop("The explanation of this word came back garbled. Try again in a moment.")
LIMITS = {"lemma": 100, "meaning": 300, "pos": 16, "example": 300}


@dataclass(frozen=True)
class WordAnswer:
    lemma: str
    meaning: str
    pos: str
    example: str


async def explain_word(client: genai.Client, *, model: str, question: WordQuestion) -> WordAnswer:
    """The model's explanation of `question.word`. Raises TutorUnavailable (code
    "bad_answer" when the model's reply is not the asked-for JSON)."""
    config = types.GenerateContentConfig(
        system_instruction=explain_system_instruction(),
        response_mime_type="application/json",
        response_schema=_SCHEMA,
        temperature=0.2,
        max_output_tokens=400,
        http_options=_HTTP_OPTIONS.model_copy(deep=True),
    )
    contents = [types.Content(role="user", parts=[types.Part(text=explain_request(question))])]
    response = await generate_once(
        client, model=model, contents=contents, config=config, seconds=LOOKUP_TIMEOUT,
        unavailable=UNAVAILABLE, log=logger, what="words",
    )  # fmt: skip
    return parse_answer(response.text)


def parse_answer(text: str | None) -> WordAnswer:
    """The four fields from the model's JSON, trimmed to one line each; TutorUnavailable
    ("bad_answer") when it is not JSON, misses the lemma or the meaning, or is far too long."""
    try:
        data = json.loads(text or "")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise TutorUnavailable(BAD_ANSWER, "bad_answer")
    fields = {}
    for name, limit in LIMITS.items():
        value = data.get(name, "")
        if not isinstance(value, str) or len(value) > limit * 2:
            raise TutorUnavailable(BAD_ANSWER, "bad_answer")
        fields[name] = " ".join(value.split())[:limit]
    if not fields["lemma"] or not fields["meaning"]:
        raise TutorUnavailable(BAD_ANSWER, "bad_answer")
    if fields["pos"] not in PARTS_OF_SPEECH:
        fields["pos"] = "other"
    return WordAnswer(**fields)
