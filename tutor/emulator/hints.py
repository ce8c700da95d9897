"""generateContent for "What could I say?": two or three replies the learner could say next.

Tertulia asks with a JSON response schema whose `suggestions` items hold `text` and `gloss`
(tutor/prompts/hints.py); that schema is how the emulator tells a hint request from a typed
turn. It reads what a real model would: the `Target language: xx`, `Native language of the
learner: xx` and `Level: CEFR xx` lines, a topic's quoted target phrases, and the transcript
after "The conversation so far:". It replays the learner's lines through the dialogue
(dialogue.py) to find where the scene or the free-talk script stands, and suggests its next
learner lines, put right (the planted errors are the learner's, not the hint's), and, when few
are left, the scene's closing lines. A gloss says in the learner's language what kind of line
it is (there is no translator here), plus the script's own translation of its phrase.

As strict as the real API about the request: a schema needs `responseMimeType`
application/json and must be one the API accepts (strict.check_schema), else 400.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tutor.emulator import roleplay, wire
from tutor.emulator.dialogue import DialogueState, detect_band, plan_typed
from tutor.emulator.roleplay import build_scene, read_brief
from tutor.emulator.roleplay.kinds import kind_of
from tutor.emulator.scripts import LANGUAGES, load
from tutor.emulator.setup import ProtocolError, instruction_text
from tutor.emulator.strict import check_schema

_TARGET = re.compile(r"^Target language:\s*([a-z]{2})\b", re.M)
_NATIVE = re.compile(r"^Native language of the learner:\s*([a-z]{2})\b", re.M)
_SO_FAR = "The conversation so far:"
_LINE = re.compile(r"^(Tutor|Learner):\s*(.+)$", re.M)
# ASSUMPTION: the wording of the real API's refusal; its status (400 INVALID_ARGUMENT) is sure.
NEEDS_JSON = (
    "* GenerateContentRequest.generation_config.response_mime_type: response_schema is only "
    "supported with response_mime_type application/json.\n"
)

# What kind of line a suggestion is, in the learner's language (kinds.kind_of's kinds).
GLOSSES: dict[str, dict[str, str]] = {
    "en": {
        "price": "Asking how much it costs",
        "time": "Asking when or how long",
        "count": "Asking how many",
        "way": "Asking the way",
        "you": "Asking about them",
        "open": "Asking a question",
        "yes": "Asking a yes/no question",
        "greeting": "Saying hello",
        "thanks": "Saying thank you",
        "statement": "Telling them something about you",
        "please": "Asking for something politely",
    },
    "es": {
        "price": "Preguntar cuánto cuesta",
        "time": "Preguntar cuándo o cuánto tiempo",
        "count": "Preguntar cuántos",
        "way": "Preguntar el camino",
        "you": "Preguntarle por él o ella",
        "open": "Hacer una pregunta",
        "yes": "Hacer una pregunta de sí o no",
        "greeting": "Saludar",
        "thanks": "Dar las gracias",
        "statement": "Contar algo sobre ti",
        "please": "Pedir algo con cortesía",
    },
}


def is_hint_request(body: dict[str, Any]) -> bool:
    config = body.get("generationConfig") or {}
    schema = config.get("responseSchema") if isinstance(config, dict) else None
    properties = (schema or {}).get("properties") if isinstance(schema, dict) else None
    item = wire.normalise(((properties or {}).get("suggestions") or {}).get("items") or {})
    return isinstance(item, dict) and {"text", "gloss"} <= set(item.get("properties") or {})


def check_json_schema(body: dict[str, Any]) -> str | None:
    """Why the real API refuses this request's response schema, or None."""
    config = body.get("generationConfig") or {}
    if not isinstance(config, dict) or "responseSchema" not in config:
        return None
    if config.get("responseMimeType") != "application/json":
        return NEEDS_JSON
    try:
        check_schema(config["responseSchema"], "generation_config.response_schema")
    except ProtocolError as exc:
        return exc.reason.replace("BidiGenerateContentRequest", "GenerateContentRequest")
    return None


def hint_parts(body: dict[str, Any], user_texts: list[str]) -> list[dict[str, Any]]:
    """The reply: one JSON text part, {"suggestions": [{"text", "gloss"}, ...]}."""
    prompt = "\n".join([instruction_text(body.get("systemInstruction")), *user_texts])
    target = _TARGET.search(prompt)
    lang = target.group(1) if target and target.group(1) in LANGUAGES else "en"
    native = _NATIVE.search(prompt)
    glosses = GLOSSES.get(native.group(1) if native else "en", GLOSSES["en"])
    head, _, transcript = prompt.partition(_SO_FAR)
    state = DialogueState(lang=lang, band=detect_band(head), greeted=True)
    state.scene = build_scene(lang, read_brief(head))
    for speaker, line in _LINE.findall(transcript):
        if speaker == "Learner":
            plan_typed(state, line.strip())
    lines = _next_lines(state)
    english = native is None or native.group(1) == "en"
    suggestions = [
        {"text": text, "gloss": _gloss(glosses, text, lang, phrase if english else None)}
        for text, phrase in lines
    ]
    return [{"text": json.dumps({"suggestions": suggestions}, ensure_ascii=False)}]


def _next_lines(state: DialogueState) -> list[tuple[str, tuple[str, str] | None]]:
    """The script's next learner lines (correct), then its closing lines: three in all."""
    lines: list[tuple[str, tuple[str, str] | None]] = []
    if state.scene is not None:
        lines = [(phrase, None) for phrase in state.scene.phrases[state.step :]]
    else:
        steps = load(state.lang).bands[state.band].steps[state.step :]
        lines = [(step.corrected(step.learner) or step.learner, step.phrase) for step in steps]
    closing = roleplay.lines_for(state.lang).afterwards
    lines += [(line, None) for line in closing if line not in {text for text, _ in lines}]
    return lines[:3]


def _gloss(glosses: dict[str, str], text: str, lang: str, phrase: tuple[str, str] | None) -> str:
    cues = roleplay.lines_for(lang).cues
    kind = kind_of(text, cues)
    if kind == "statement" and re.search(cues.please, text.casefold()):
        kind = "please"  # "the bill, please" asks for something, though it is no question
    kind = glosses[kind]
    return f"{kind} ({phrase[0]}: {phrase[1]})" if phrase else kind
