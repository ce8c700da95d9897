"""Function declarations the tutor calls to report corrections, phrases and upgrades.

Plain JSON-schema dicts, so this package needs no google-genai: `tutor.live` passes them as
`FunctionDeclaration(**decl)`. Live rejects `enum` on non-string types (close 1007), so enums
stay on strings.
"""

from __future__ import annotations

from typing import Any

CORRECTION_KINDS = ("grammar", "vocabulary", "pronunciation", "register")


def _string(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


NOTE_CORRECTION: dict[str, Any] = {
    "name": "note_correction",
    "description": (
        "Silently record one error the learner made in their latest turn. Call it for every "
        "error you notice, whether or not you corrected it aloud. Never mention this call."
    ),
    "parameters": {
        "type": "object",
        "properties": {
            "original": _string("What the learner said, exactly as they said it."),
            "corrected": _string("The same words, corrected, in the target language."),
            "explanation": _string(
                "One short sentence, in the learner's native language, explaining the fix."
            ),
            "kind": _string("The kind of error.", enum=list(CORRECTION_KINDS)),
        },
        "required": ["original", "corrected", "explanation", "kind"],
    },
}

NOTE_PHRASE: dict[str, Any] = {
    "name": "note_phrase",
    "description": (
        "Silently save a useful new phrase you just introduced, for the learner's review deck. "
        "Never mention this call."
    ),
    "parameters": {
        "type": "object",
        "properties": {
            "text": _string("The phrase in the target language, as you said it."),
            "translation": _string("Its translation into the learner's native language."),
        },
        "required": ["text", "translation"],
    },
}

# "Say it better": the learner's sentence was correct but plain. At most one per learner
# turn; the server refuses a second one for the same line (tutor.live.upgrades).
NOTE_UPGRADE: dict[str, Any] = {
    "name": "note_upgrade",
    "description": (
        "Silently record a more natural or higher-level way to say the learner's latest "
        "sentence, when it was correct but plain. At most one call per learner turn, never for "
        "a sentence with an error (use note_correction). Never mention this call."
    ),
    "parameters": {
        "type": "object",
        "properties": {
            "original": _string("What the learner said, exactly as they said it."),
            "upgraded": _string(
                "The same meaning said more naturally, one CEFR level above the learner's, "
                "in the target language."
            ),
            "explanation": _string(
                "One short sentence, in the learner's native language, on why it sounds better."
            ),
        },
        "required": ["original", "upgraded", "explanation"],
    },
}

TOOL_DECLARATIONS: list[dict[str, Any]] = [NOTE_CORRECTION, NOTE_PHRASE, NOTE_UPGRADE]
