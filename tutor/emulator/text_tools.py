"""Function calling on the text endpoint (`generateContent`), as the real API does it.

The request declares tools in `tools[].functionDeclarations`. When the dialogue's turn notes a
correction, a phrase or an upgrade and the matching function is declared, the model calls it:

- **Calls alone, or calls with the words.** The real model may answer with `functionCall`
  parts only, waiting for their results before it writes its reply, or with both at once. The
  realistic emulator draws one of the two per turn by seed; `orderly` always sends both
  together. The client must cope with both: keep the notes when words come with them, and
  send the results back when they do not.
- **Results.** A request whose last content holds `functionResponse` parts gets the words.
  It must answer every call of the model turn before it, one response part per call part,
  else 400 INVALID_ARGUMENT with the real API's message.
- **Thought signatures.** Gemini 3 models put a `thoughtSignature` on the first
  `functionCall` part of a response, and refuse a request that sends the calls of the current
  turn back without it (400 "Function call is missing a thought_signature…"; seen at
  gemini-3.5-flash, e.g. https://github.com/BigPizzaV3/CodexPlusPlus/issues/332, and
  https://ai.google.dev/gemini-api/docs/thought-signatures). So does the emulator, for model
  names starting with "gemini-3".
- **No ids.** ASSUMPTION: the REST API leaves `functionCall.id` unset (Live sets it), so calls
  and results pair by position and name.
"""

from __future__ import annotations

import base64
import random
import secrets
from typing import Any

from tutor.emulator.dialogue import TurnPlan, notes_of

MISSING_SIGNATURE = (
    "Function call is missing a thought_signature in functionCall parts. This is required for "
    "tools to work correctly, and missing thought_signature may lead to degraded model "
    "performance. Additional data, function call `default_api:{name}` , position {position}. "
    "Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details."
)
UNANSWERED = (
    "Please ensure that the number of function response parts is equal to the number of "
    "function call parts of the function call turn."
)


def declared(body: dict[str, Any]) -> set[str]:
    """Names of the functions the request declares."""
    names = set()
    for tool in body.get("tools") or []:
        for declaration in (tool or {}).get("functionDeclarations") or []:
            if isinstance(declaration, dict) and isinstance(declaration.get("name"), str):
                names.add(declaration["name"])
    return names


def _parts(content: Any) -> list[dict[str, Any]]:
    parts = content.get("parts") if isinstance(content, dict) else None
    return [part for part in parts or [] if isinstance(part, dict)]


def calls_of(content: Any) -> list[dict[str, Any]]:
    return [part for part in _parts(content) if "functionCall" in part]


def answers_calls(contents: list[Any]) -> bool:
    """The last content holds function results: the model now writes its words."""
    return bool(contents) and any("functionResponse" in part for part in _parts(contents[-1]))


def check(contents: list[Any], model: str) -> str | None:
    """Why the real API would refuse these contents' function calls and results, or None."""
    for position, content in enumerate(contents):
        calls = calls_of(content)
        if not calls:
            continue
        signed = bool(calls[0].get("thoughtSignature"))
        if model.startswith("gemini-3") and not signed and _current_turn(contents, position):
            name = calls[0]["functionCall"].get("name", "")
            return MISSING_SIGNATURE.format(name=name, position=position + 1)
        following = contents[position + 1] if position + 1 < len(contents) else None
        results = [p for p in _parts(following) if "functionResponse" in p]
        if following is not None and len(results) != len(calls):
            return UNANSWERED
    return None


def _current_turn(contents: list[Any], position: int) -> bool:
    """No user text after `position`: the calls belong to the turn being answered now."""
    return not any(
        content.get("role", "user") == "user" and any("text" in p for p in _parts(content))
        for content in contents[position + 1 :]
        if isinstance(content, dict)
    )


def call_parts(plan: TurnPlan, names: set[str], model: str) -> list[dict[str, Any]]:
    """The dialogue turn's notes as `functionCall` parts, for the functions declared."""
    parts: list[dict[str, Any]] = [
        {"functionCall": {"name": name, "args": dict(args)}}
        for name, args in notes_of(plan)
        if args and name in names
    ]
    if parts and model.startswith("gemini-3"):
        parts[0]["thoughtSignature"] = base64.b64encode(secrets.token_bytes(24)).decode()
    return parts


def words_wait(seed: int, orderly: bool, user_texts: list[str]) -> bool:
    """Whether this turn's calls come alone (the words after their results): by seed and
    turn, so a run replays; never when orderly."""
    if orderly:
        return False
    draw = random.Random(f"{seed}:text:{len(user_texts)}:{user_texts[-1] if user_texts else ''}")  # noqa: S311
    return draw.random() < 0.5
