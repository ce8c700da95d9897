"""The text fallback: `POST /{version}/models/{model}:generateContent` in the REST shape.

Stateless: the reply is worked out by replaying the request's user messages through the same
dialogue functions the Live session uses, so a recognisable error gets a gentle recast, and
the turn's notes come as calls of the declared functions (text_tools.py). Requests with audio
in or out (the speaking drills) are answered by `audio_content`, the learner memory's update
after a conversation by `memory`, and requests to explain a word (the word lookup) by `lookup`,
which also checks every request's response schema.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from aiohttp import web

from tutor.emulator import (
    audio_content,
    hints,
    lookup,
    memory,
    placement_assess,
    rubric_scoring,
    text_tools,
    wire,
)
from tutor.emulator.behaviour import Behaviour
from tutor.emulator.dialogue import new_state, text_turn
from tutor.emulator.setup import INVALID_KEYS, instruction_text

# The real REST API's errors (google.rpc.Status in an "error" object).
MISSING_KEY = (
    403,
    "PERMISSION_DENIED",
    "Method doesn't allow unregistered callers (callers without established identity). "
    "Please use API Key or other form of API consumer identity to call this API.",
)
BAD_KEY = (400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.")
# What the real API answers with these statuses (the `refuse` fault), its words as Google
# writes them: none of it is fit for a learner's eyes.
REFUSALS = {
    400: ("INVALID_ARGUMENT", "Request contains an invalid argument."),
    403: ("PERMISSION_DENIED", "The caller does not have permission"),
    429: (
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing details. For more "
        "information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
    ),
    500: (
        "INTERNAL",
        "An internal error has occurred. Please retry or report in "
        "https://developers.generativeai.google/guide/troubleshooting",
    ),
    503: ("UNAVAILABLE", "The model is overloaded. Please try again later."),
}


def refusal(status: int) -> web.Response:
    name, message = REFUSALS.get(status, ("UNKNOWN", f"HTTP {status}"))
    return error(status, name, message)


def error(status: int, code: str, message: str) -> web.Response:
    body = {"error": {"code": status, "message": message, "status": code}}
    return web.json_response(body, status=status)


async def generate_content(
    request: web.Request,
    key: str | None,
    version: str,
    model: str,
    stream: bool,
    behaviour: Behaviour | None = None,
) -> web.StreamResponse:
    if not key:
        return error(*MISSING_KEY)
    if key in INVALID_KEYS:
        return error(*BAD_KEY)
    if not model.startswith("gemini-"):
        message = (
            f"models/{model} is not found for API version {version}, or is not supported "
            "for generateContent. Call ListModels to see the list of available models and "
            "their supported methods."
        )
        return error(404, "NOT_FOUND", message)
    try:
        body = wire.normalise(await request.json())
    except (ValueError, UnicodeDecodeError):
        return error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
    if not isinstance(body, dict):
        return error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
    if problem := hints.check_json_schema(body):
        return error(400, "INVALID_ARGUMENT", problem)
    if problem := lookup.check(body):
        return error(400, "INVALID_ARGUMENT", problem)
    try:
        parts = await audio_content.audio_parts(body)
    except audio_content.BadAudio as exc:
        return error(400, "INVALID_ARGUMENT", str(exc))
    if parts is None and memory.is_update(instruction_text(body.get("systemInstruction"))):
        try:
            parts = [{"text": memory.update_reply(body, _user_text(body))}]
        except memory.BadMemoryRequest as exc:
            return error(400, "INVALID_ARGUMENT", str(exc))
    if parts is None and lookup.asks(body):
        parts = lookup.reply(body, audio_content.user_texts(body))
    if parts is None:
        contents = [c for c in body.get("contents") or [] if isinstance(c, dict)]
        if problem := text_tools.check(contents, model):
            return error(400, "INVALID_ARGUMENT", problem)
        texts = [
            p["text"]
            for c in contents
            for p in c.get("parts") or []
            if isinstance(p, dict) and isinstance(p.get("text"), str)
        ]
        instruction = instruction_text(body.get("systemInstruction"))
        if hints.is_hint_request(body):
            parts = hints.hint_parts(body, _user_texts(contents))
        elif placement_assess.is_request(instruction, texts):  # a spoken placement's result
            try:
                parts = placement_assess.answer(body, texts)
            except placement_assess.BadAssessmentRequest as exc:
                return error(400, "INVALID_ARGUMENT", str(exc))
        else:
            parts = _reply(body, contents, model, behaviour or Behaviour())
    payload = _response(model, parts, len(json.dumps(body)) // 4)
    if not stream:
        return web.json_response(payload)
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    await response.write(f"data: {json.dumps(payload, ensure_ascii=False)}\r\n\r\n".encode())
    await response.write_eof()
    return response


def _reply(
    body: dict[str, Any], contents: list[dict[str, Any]], model: str, behaviour: Behaviour
) -> list[dict[str, Any]]:
    """The model's parts: the words, and before them calls for the turn's notes when their
    functions are declared (text_tools says how)."""
    instruction = instruction_text(body.get("systemInstruction"))
    if rubric_scoring.is_rubric_request(instruction):
        return [{"text": rubric_scoring.propose(_user_text(body))}]
    user_texts = _user_texts(contents)
    plan, reply = text_turn(new_state(None, instruction), user_texts)
    words = [{"text": reply}]
    if text_tools.answers_calls(contents):
        return words
    calls = text_tools.call_parts(plan, text_tools.declared(body), model)
    if not calls:
        return words
    if text_tools.words_wait(behaviour.seed, behaviour.orderly, user_texts):
        return calls
    return calls + words


def _user_texts(contents: list[dict[str, Any]]) -> list[str]:
    return [
        "".join(
            p["text"] for p in content.get("parts") or [] if isinstance(p, dict) and "text" in p
        )
        for content in contents
        if content.get("role", "user") == "user"
        and not any(
            isinstance(p, dict) and "functionResponse" in p for p in content.get("parts") or []
        )
    ]


def _user_text(body: dict[str, Any]) -> str:
    """All the text of the request's user turns (the memory update and the rubric proposal
    send one)."""
    return "\n".join(audio_content.user_texts(body))


def _response(model: str, parts: list[dict[str, Any]], prompt_tokens: int) -> dict[str, Any]:
    reply_tokens = max(1, sum(_tokens(part) for part in parts))
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": parts},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": reply_tokens,
            "totalTokenCount": prompt_tokens + reply_tokens,
        },
        "modelVersion": model,
        "responseId": secrets.token_urlsafe(12),
    }


def _tokens(part: dict[str, Any]) -> int:
    """About four characters of text a token; audio at 32 tokens a second (24 kHz PCM16)."""
    if "inlineData" in part:
        return len(part["inlineData"]["data"]) * 3 // 4 // 1500
    return len(json.dumps(part)) // 4  # text, or a function call
