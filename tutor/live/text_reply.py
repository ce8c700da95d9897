"""The typed fallback's tutor reply: `generate_content` over HTTP, no WebSocket.

Used by `tutor.typed_fallback.message` when the page cannot open the conversation socket. The
tutor gets the same system instruction and the same `note_correction` / `note_phrase` /
`note_upgrade` declarations as the Live session, and its calls become the same `CorrectionNoted`
/ `PhraseNoted` / `UpgradeNoted` events (`tutor.live.notes.note_event`), so a typed line's notes
are stored as a spoken one's are. Every call is about the one typed line, so a second upgrade is
refused as on the Live path. A model that answers with calls only gets their results and is
asked again for its words (at most `MAX_ROUNDS` requests, all within `TEXT_TIMEOUT`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from google import genai
from google.genai import errors, types

from tutor.live.config import classify, function_declarations
from tutor.live.events import Event, UpgradeNoted
from tutor.live.notes import ONE_UPGRADE, note_event
from tutor.live.texts import failure_text, gettext_noop

__all__ = [
    "MAX_ROUNDS",
    "TEXT_TIMEOUT",
    "UNAVAILABLE",
    "TextReply",
    "TutorUnavailable",
    "generate_text_reply",
]

logger = logging.getLogger(__name__)


class TutorUnavailable(Exception):
    """Gemini cannot answer right now; `str(exc)` is one of our marked sentences (never Gemini's
    own words, never the key), translated where it is shown (`tutor.learner_texts`)."""

    def __init__(self, message: str, code: str = "upstream_unavailable") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class TextReply:
    text: str
    notes: tuple[Event, ...] = ()  # CorrectionNoted / PhraseNoted / UpgradeNoted, as called


# The typed fallback answers or fails within 3 s: a learner who typed because their voice
# link failed should not stare at a spinner. The budget covers the whole exchange (the request
# that returns the calls and the one that returns the words); the rest of the 3 s is for the
# view's database writes.
TEXT_TIMEOUT = 2.5
MAX_ROUNDS = 3
# One attempt: the SDK otherwise retries a refused connection once after sleeping 1-10 s, or
# (with retry options) backs off over several seconds, which blew the budget (7-9 s seen). The
# learner's line is already stored, so they lose nothing by sending again.
_HTTP_OPTIONS = types.HttpOptions(
    timeout=int(TEXT_TIMEOUT * 1000),  # milliseconds, per request
    retry_options=types.HttpRetryOptions(attempts=1),
)
UNAVAILABLE = gettext_noop(
    "The tutor cannot answer right now. Your message is saved; try again in a moment."
)


async def generate_text_reply(
    client: genai.Client,
    *,
    model: str,
    system_instruction: str,
    history: list[tuple[str, str]],
    message: str,
    tools: Sequence[dict[str, Any]] = (),
) -> TextReply:
    """One tutor reply and the notes it made. `history` is (speaker, text) pairs, speaker
    "learner" or "tutor", oldest first; `tools` the plain declarations (tutor.prompts).
    Raises TutorUnavailable with a safe message."""
    contents = [_content(speaker, text) for speaker, text in history if text.strip()]
    contents.append(_content("learner", message))
    declared = function_declarations(list(tools))
    config = types.GenerateContentConfig(
        system_instruction=system_instruction,
        http_options=_HTTP_OPTIONS.model_copy(deep=True),
        tools=[types.Tool(function_declarations=declared)] if declared else None,
        # The calls are answered here, never run by the SDK.
        automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
    )
    try:
        async with asyncio.timeout(TEXT_TIMEOUT):
            return await _exchange(client, model, contents, config)
    except (errors.APIError, OSError, TimeoutError, aiohttp.ClientError) as exc:
        secret = getattr(getattr(client, "_api_client", None), "api_key", None)
        failure = classify(exc, secret)
        logger.info("typed fallback: Gemini unavailable (%s: %s)", failure.code, failure.message)
        if failure.fatal:
            raise TutorUnavailable(failure_text(failure.code, UNAVAILABLE), failure.code) from exc
        raise TutorUnavailable(UNAVAILABLE) from exc


async def _exchange(
    client: genai.Client,
    model: str,
    contents: list[types.Content],
    config: types.GenerateContentConfig,
) -> TextReply:
    notes: list[Event] = []
    for _ in range(MAX_ROUNDS):
        response = await client.aio.models.generate_content(
            model=model, contents=contents, config=config
        )
        calls = response.function_calls or []
        answers = [_answer(call, notes) for call in calls]
        text = _words(response)
        if text or not calls:
            break
        # Its own turn back as it came (Gemini 3 wants the calls' thought signatures again),
        # then the results, one per call.
        content = response.candidates[0].content if response.candidates else None
        contents = [*contents, content or types.Content(role="model"), _results(answers)]
    if not text:
        logger.info("typed fallback: Gemini returned an empty reply")
        raise TutorUnavailable(UNAVAILABLE)
    return TextReply(text, tuple(notes))


def _answer(call: types.FunctionCall, notes: list[Event]) -> types.Part:
    event, result = note_event(call.name or "", dict(call.args or {}))
    if isinstance(event, UpgradeNoted) and any(isinstance(n, UpgradeNoted) for n in notes):
        event, result = None, ONE_UPGRADE  # one typed line, at most one upgrade
    if event is not None:
        notes.append(event)
    response = types.FunctionResponse(id=call.id, name=call.name, response=result)
    return types.Part(function_response=response)


def _results(answers: list[types.Part]) -> types.Content:
    return types.Content(role="tool", parts=answers)


def _words(response: types.GenerateContentResponse) -> str:
    """The reply's text parts (not its calls or thoughts), joined."""
    if not response.candidates or response.candidates[0].content is None:
        return ""
    parts = response.candidates[0].content.parts or []
    return "".join(part.text for part in parts if part.text and not part.thought).strip()


def _content(speaker: str, text: str) -> types.Content:
    role = "model" if speaker == "tutor" else "user"
    return types.Content(role=role, parts=[types.Part(text=text)])
