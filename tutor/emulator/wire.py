"""JSON shapes on the Live WebSocket: normalising what the SDK sends, building what it expects.

Inbound keys arrive in a mix of snake_case and camelCase (docs/gemini-live.md §0.5), so every
message is re-cased to camelCase once, on arrival, except the user-owned maps below whose keys
are data. Outbound top-level keys must be camelCase or the SDK raises TypeError (§0.7).
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
from typing import Any

# Keys whose values are user data (function args, tool results, schema property names).
OPAQUE_KEYS = frozenset(
    {"args", "response", "properties", "labels", "parametersJsonSchema", "responseJsonSchema"}
)
OUTPUT_MIME = "audio/pcm;rate=24000"
_RATE = re.compile(r"rate\s*=\s*(\d+)")
_WORDS = re.compile(r"\s*\S+")
_CLAUSES = re.compile(
    "[^、。\uff01\uff1f!?]+[、。\uff01\uff1f!?]*|[、。\uff01\uff1f!?]+"
)  # JP punctuation


def camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def normalise(value: Any) -> Any:
    """Re-case every dict key to camelCase, leaving the contents of OPAQUE_KEYS untouched."""
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = camel(key)
        out[name] = item if name in OPAQUE_KEYS else normalise(item)
    return out


def parse_frame(data: str | bytes) -> dict[str, Any]:
    """Decode one client frame; raise ValueError if it is not a JSON object."""
    message = json.loads(data)
    if not isinstance(message, dict):
        raise ValueError("frame is not a JSON object")
    return normalise(message)


def b64decode(text: str) -> bytes:
    """Decode standard or URL-safe base64, with or without padding (the SDK sends URL-safe)."""
    cleaned = text.strip().replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except binascii.Error as exc:
        raise ValueError("bad base64 in audio blob") from exc


def mime_rate(mime_type: str | None, default: int = 16000) -> int:
    match = _RATE.search(mime_type or "")
    return int(match.group(1)) if match else default


def encode(message: dict[str, Any]) -> bytes:
    """Google sends binary frames of UTF-8 JSON (docs/gemini-live.md §4.1)."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()


def audio_part(pcm: bytes) -> dict[str, Any]:
    data = base64.b64encode(pcm).decode("ascii")
    return {"inlineData": {"mimeType": OUTPUT_MIME, "data": data}}


def server_content(**fields: Any) -> dict[str, Any]:
    return {"serverContent": fields}


def transcription(text: str) -> dict[str, str]:
    return {"text": text}


def usage(prompt_tokens: int, response_tokens: int) -> dict[str, Any]:
    return {
        "promptTokenCount": prompt_tokens,
        "responseTokenCount": response_tokens,
        "totalTokenCount": prompt_tokens + response_tokens,
        "promptTokensDetails": [{"modality": "AUDIO", "tokenCount": prompt_tokens}],
        "responseTokensDetails": [{"modality": "AUDIO", "tokenCount": response_tokens}],
    }


def tool_call(call_id: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"toolCall": {"functionCalls": [{"id": call_id, "name": name, "args": args}]}}


def resumption_update(handle: str | None) -> dict[str, Any]:
    # While a turn is in flight the real server reports "not resumable" without a handle.
    if handle is None:
        return {"sessionResumptionUpdate": {"resumable": False}}
    return {"sessionResumptionUpdate": {"newHandle": handle, "resumable": True}}


def fragments(text: str, count: int) -> list[str]:
    """Split `text` into at most `count` pieces whose concatenation is `text` (stripped).

    Pieces carry their leading space like the real transcription stream (" qué", " tal");
    text without spaces (Japanese) is split after clause punctuation instead.
    """
    text = text.strip()
    tokens = _WORDS.findall(text) if " " in text else _CLAUSES.findall(text)
    if not tokens:
        return []
    count = max(1, min(count, len(tokens)))
    bounds = [round(i * len(tokens) / count) for i in range(count + 1)]
    return ["".join(tokens[a:b]) for a, b in itertools.pairwise(bounds)]
