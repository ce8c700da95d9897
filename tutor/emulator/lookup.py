"""generateContent asked to explain one word (Tertulia's word lookup, tutor/live/words.py),
and the response-schema rules the real API enforces on every request.

- **Recognised by its schema.** A request whose `generationConfig.responseSchema` is an object
  with `lemma` and `meaning` properties is a lookup. The word, the sentence and the language
  come from the prompt's `Word: «…»`, `Sentence: «…»` and `Target language: xx` lines.
- **The answer.** The glossary's entry for the word (glossary.py: words the demo itself says),
  else a generic one of the same shape: the word as its own lemma, a meaning that says the
  demo has no entry, part of speech "other", and the sentence as the example. The JSON holds
  exactly the schema's properties, in its `propertyOrdering`, and an enum property gets one of
  its values, as the real model's constrained decoding would.
- **Strict.** A `responseSchema` needs `responseMimeType` "application/json" (400 otherwise);
  a schema type must be one of the API's types, an `enum` belongs to a STRING, and `required`
  names only listed properties.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tutor.emulator.glossary import entry_for
from tutor.emulator.setup import instruction_text

_WORD = re.compile(r"^Word:\s*«([^«»]*)»", re.MULTILINE)
_SENTENCE = re.compile(r"^Sentence:\s*«([^«»]*)»", re.MULTILINE)
_LANGUAGE = re.compile(r"Target language:\s*([a-z]{2})\b", re.IGNORECASE)
TYPES = frozenset(
    {"TYPE_UNSPECIFIED", "STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL"}
)
SCHEMA_NEEDS_JSON = (
    "* GenerateContentRequest.generation_config.response_mime_type: must be application/json "
    "or text/x.enum when response_schema is set.\n"
)


def check(body: dict[str, Any]) -> str | None:
    """Why the real API would refuse this request's response schema, or None."""
    config = body.get("generationConfig") or {}
    schema = config.get("responseSchema")
    if schema is None:
        return None
    if config.get("responseMimeType") not in ("application/json", "text/x.enum"):
        return SCHEMA_NEEDS_JSON
    return _schema_problem(schema, "generation_config.response_schema")


def _schema_problem(schema: Any, where: str) -> str | None:
    if not isinstance(schema, dict):
        return f"Invalid JSON payload received. Invalid value at '{where}'."
    kind = str(schema.get("type", "TYPE_UNSPECIFIED")).upper()
    if kind not in TYPES:
        return (
            f"Invalid JSON payload received. Invalid value at '{where}.type' "
            "(type.googleapis.com/google.ai.generativelanguage.v1beta.Type), "
            f'"{schema.get("type")}"'
        )
    if "enum" in schema and kind != "STRING":
        return f"* GenerateContentRequest.{where}.enum: only allowed for STRING type\n"
    properties = schema.get("properties") or {}
    if not isinstance(properties, dict):
        return f"Invalid JSON payload received. Invalid value at '{where}.properties'."
    for name in schema.get("required") or []:
        if name not in properties:
            return f"* GenerateContentRequest.{where}.required[{name}]: property is not defined\n"
    for name, inner in properties.items():
        if problem := _schema_problem(inner, f"{where}.properties[{name}].value"):
            return problem
    if "items" in schema:
        return _schema_problem(schema["items"], f"{where}.items")
    return None


def asks(body: dict[str, Any]) -> bool:
    """Whether this request asks for a word's explanation."""
    schema = (body.get("generationConfig") or {}).get("responseSchema") or {}
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return isinstance(properties, dict) and {"lemma", "meaning"} <= properties.keys()


def reply(body: dict[str, Any], texts: list[str]) -> list[dict[str, Any]]:
    """The model's one text part: the explanation as JSON in the schema's shape."""
    prompt = "\n".join([instruction_text(body.get("systemInstruction")), *texts])
    word = _first(_WORD, prompt)
    sentence = _first(_SENTENCE, prompt)
    language = (_first(_LANGUAGE, prompt) or "en").lower()
    found = entry_for(language, word) if word else None
    if found is not None:
        values = found._asdict()
    else:
        values = {
            "lemma": word or "?",
            "meaning": f"(offline demo) no dictionary entry for «{word}»",
            "pos": "other",
            "example": sentence or word,
        }
    schema = body["generationConfig"]["responseSchema"]
    properties: dict[str, Any] = schema.get("properties") or {}
    order = [n for n in schema.get("propertyOrdering") or [] if n in properties]
    order += [n for n in properties if n not in order]
    answer = {name: _fit(values.get(name, ""), properties[name]) for name in order}
    return [{"text": json.dumps(answer, ensure_ascii=False)}]


def _fit(value: str, schema: dict[str, Any]) -> Any:
    enum = schema.get("enum")
    if enum and value not in enum:
        return "other" if "other" in enum else enum[0]
    return value


def _first(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    return match.group(1).strip() if match else ""
