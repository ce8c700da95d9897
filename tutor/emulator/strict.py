"""What the real Live service refuses in a setup before it sends setupComplete.

Google's front end parses the setup as a proto, so an unknown field anywhere it looks is an
invalid argument, and it checks function schemas and per-model options (docs/gemini-live.md
§2.2, §5.2, §6, §10). The emulator refuses at least as much, so a bridge that passes here has
a fair chance with the real service. `check_setup` takes the normalised (camelCase) setup.

Reasons: 1007 `Request contains an invalid argument.` (cookbook #781) for unknown fields and
bad values; schema errors as `* BidiGenerateContentRequest.setup.tools[i]...: <why>` with
snake_case paths (livekit/agents #4159); a feature a model lacks as 1008 `Operation is not
implemented, or supported, or enabled.` (adk-python #4679).
ASSUMPTION: only the `enum` schema reason is documented; the other schema reasons copy its
form, and the codes per refused option are unverified (docs/gemini-live.md §2.2).
"""

from __future__ import annotations

import re
from typing import Any

from tutor.emulator import wire
from tutor.emulator.setup import INVALID_ARGUMENT, NOT_SUPPORTED, ProtocolError
from tutor.emulator.voice import PREBUILT_VOICES

Spec = dict[str, Any]  # field -> nested Spec, a frozenset of enum values, or None (any value)

_SENSITIVITY = ("UNSPECIFIED", "HIGH", "LOW")
_DETECTION: Spec = {
    "disabled": None,
    "startOfSpeechSensitivity": frozenset(f"START_SENSITIVITY_{s}" for s in _SENSITIVITY),
    "endOfSpeechSensitivity": frozenset(f"END_SENSITIVITY_{s}" for s in _SENSITIVITY),
    "prefixPaddingMs": None,
    "silenceDurationMs": None,
}
_GENERATION: Spec = {
    "responseModalities": frozenset({"AUDIO", "TEXT", "IMAGE", "MODALITY_UNSPECIFIED"}),
    **dict.fromkeys(
        [
            *("temperature", "topP", "topK", "maxOutputTokens", "candidateCount", "seed"),
            *("presencePenalty", "frequencyPenalty", "enableAffectiveDialog", "translationConfig"),
        ]
    ),
    "mediaResolution": frozenset(
        f"MEDIA_RESOLUTION_{r}" for r in ("UNSPECIFIED", "LOW", "MEDIUM", "HIGH")
    ),
    "speechConfig": {
        "voiceConfig": {"prebuiltVoiceConfig": {"voiceName": None}, "replicatedVoiceConfig": None},
        "languageCode": None,
        "multiSpeakerVoiceConfig": None,
    },
    "thinkingConfig": {
        "thinkingBudget": None,
        "includeThoughts": None,
        "thinkingLevel": frozenset(
            {"MINIMAL", "LOW", "MEDIUM", "HIGH", "THINKING_LEVEL_UNSPECIFIED"}
        ),
    },
}
SETUP: Spec = {
    **dict.fromkeys(("model", "systemInstruction", "tools", "avatarConfig", "safetySettings")),
    "labels": None,
    "generationConfig": _GENERATION,
    "sessionResumption": {"handle": None, "transparent": None},
    "inputAudioTranscription": {"languageCodes": None},
    "outputAudioTranscription": {"languageCodes": None},
    "realtimeInputConfig": {
        "automaticActivityDetection": _DETECTION,
        "activityHandling": frozenset({"START_OF_ACTIVITY_INTERRUPTS", "NO_INTERRUPTION"}),
        "turnCoverage": frozenset(
            {
                "TURN_INCLUDES_ONLY_ACTIVITY",
                "TURN_INCLUDES_ALL_INPUT",
                "TURN_INCLUDES_AUDIO_ACTIVITY_AND_ALL_VIDEO",
            }
        ),
    },
    "contextWindowCompression": {"triggerTokens": None, "slidingWindow": {"targetTokens": None}},
    "proactivity": {"proactiveAudio": None},
    "historyConfig": {"initialHistoryInClientContent": None},
}
_TOOL_KINDS = frozenset(
    {"functionDeclarations", "googleSearch", "googleSearchRetrieval", "codeExecution"}
    | {"urlContext", "computerUse", "fileSearch", "googleMaps", "enterpriseWebSearch"}
)
_DECLARATION = frozenset(
    {"name", "description", "parameters", "parametersJsonSchema", "response"}
    | {"responseJsonSchema", "behavior"}
)
_SCHEMA_FIELDS = frozenset(
    {"type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems"}
    | {"properties", "required", "minProperties", "maxProperties", "minLength", "maxLength"}
    | {"pattern", "example", "anyOf", "propertyOrdering", "default", "items", "minimum"}
    | {"maximum"}
)
_TYPES = frozenset(
    {"TYPE_UNSPECIFIED", "STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY"} | {"OBJECT", "NULL"}
)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$")


def check_setup(setup: dict[str, Any], model: str, version: str) -> None:
    """Raise ProtocolError for anything the real service refuses in this setup."""
    check_fields(setup, SETUP)
    check_tools(setup.get("tools"))
    check_model_options(setup, model, version)
    check_voice(setup)


def check_voice(setup: dict[str, Any]) -> None:
    """A voice name that is not one of the 30 prebuilt voices (§6) is refused, as a bad value.
    ASSUMPTION: the real code and reason are undocumented; Vertex is reported to reject a
    misspelled name, and silently speaking another voice would hide the mistake."""
    speech = (setup.get("generationConfig") or {}).get("speechConfig") or {}
    prebuilt = (speech.get("voiceConfig") or {}).get("prebuiltVoiceConfig") or {}
    if "voiceName" in prebuilt and prebuilt["voiceName"] not in PREBUILT_VOICES:
        raise ProtocolError(1007, INVALID_ARGUMENT)


def check_fields(value: Any, spec: Spec) -> None:
    """Unknown fields and unknown enum values, recursively: 1007 like the proto parser."""
    if not isinstance(value, dict):
        raise ProtocolError(1007, INVALID_ARGUMENT)
    for key, item in value.items():
        if key not in spec:
            raise ProtocolError(1007, INVALID_ARGUMENT)
        rule = spec[key]
        if isinstance(rule, dict):
            check_fields(item, rule)
        elif isinstance(rule, frozenset):
            for choice in item if isinstance(item, list) else [item]:
                if choice not in rule:
                    raise ProtocolError(1007, INVALID_ARGUMENT)


def check_tools(tools: Any) -> None:
    if tools is None:
        return
    if not isinstance(tools, list):
        raise ProtocolError(1007, INVALID_ARGUMENT)
    for i, tool in enumerate(tools):
        if not isinstance(tool, dict) or not set(tool) <= _TOOL_KINDS:
            raise ProtocolError(1007, INVALID_ARGUMENT)
        declarations = tool.get("functionDeclarations") or []
        if not isinstance(declarations, list):
            raise ProtocolError(1007, INVALID_ARGUMENT)
        for j, decl in enumerate(declarations):
            _check_declaration(decl, f"setup.tools[{i}].function_declarations[{j}]")


def _check_declaration(decl: Any, path: str) -> None:
    if not isinstance(decl, dict) or not set(decl) <= _DECLARATION:
        raise ProtocolError(1007, INVALID_ARGUMENT)
    if not _NAME.match(str(decl.get("name") or "")):
        _schema_error(f"{path}.name", "Invalid function name.")
    if decl.get("behavior", "BLOCKING") not in ("BLOCKING", "NON_BLOCKING", "UNSPECIFIED"):
        raise ProtocolError(1007, INVALID_ARGUMENT)
    if "parameters" in decl and "parametersJsonSchema" in decl:
        _schema_error(path, "parameters and parameters_json_schema are mutually exclusive")
    if "parameters" in decl:
        check_schema(decl["parameters"], f"{path}.parameters")


def check_schema(schema: Any, path: str) -> None:
    """The OpenAPI subset Gemini accepts for `parameters` (SDK types.Schema)."""
    if not isinstance(schema, dict) or not set(schema) <= _SCHEMA_FIELDS:
        raise ProtocolError(1007, INVALID_ARGUMENT)
    kind = str(schema.get("type", "TYPE_UNSPECIFIED")).upper()
    if kind not in _TYPES:
        raise ProtocolError(1007, INVALID_ARGUMENT)
    if "enum" in schema and kind != "STRING":
        _schema_error(f"{path}.enum", "only allowed for STRING type")
    properties = schema.get("properties") or {}
    if not isinstance(properties, dict) or (properties and kind != "OBJECT"):
        _schema_error(f"{path}.properties", "only allowed for OBJECT type")
    for k, name in enumerate(schema.get("required") or []):
        if name not in properties:
            _schema_error(f"{path}.required[{k}]", "property is not defined")
    if kind == "ARRAY" and "items" not in schema:
        _schema_error(f"{path}.items", "missing field.")
    # Property schemas are opaque to wire.normalise (their keys are names): re-case here.
    for name, sub in properties.items():
        check_schema(wire.normalise(sub), f"{path}.properties[{name}]")
    if "items" in schema:
        check_schema(wire.normalise(schema["items"]), f"{path}.items")
    for k, sub in enumerate(schema.get("anyOf") or []):
        check_schema(wire.normalise(sub), f"{path}.any_of[{k}]")


def _schema_error(path: str, why: str) -> None:
    raise ProtocolError(1007, f"* BidiGenerateContentRequest.{path}: {why}")


def check_model_options(setup: dict[str, Any], model: str, version: str) -> None:
    """Per-model refusals from the model pages (docs/gemini-live.md §6)."""
    generation = setup.get("generationConfig") or {}
    proactivity = setup.get("proactivity")
    affective = bool(generation.get("enableAffectiveDialog"))
    thinking_level = "thinkingLevel" in (generation.get("thinkingConfig") or {})
    if model.startswith("gemini-3.8"):
        # Proactive audio is always on: turning it off is an invalid value, not a feature.
        if (proactivity or {}).get("proactiveAudio") is False:
            raise ProtocolError(1007, INVALID_ARGUMENT)
        if affective or thinking_level:
            raise ProtocolError(1008, NOT_SUPPORTED)
    elif model.startswith("gemini-3.1"):
        blocking_only = any(
            d.get("behavior") == "NON_BLOCKING" for d in _declarations(setup.get("tools"))
        )
        if proactivity is not None or affective or blocking_only:
            raise ProtocolError(1008, NOT_SUPPORTED)
    elif (proactivity is not None or affective) and version != "v1alpha":
        raise ProtocolError(1008, NOT_SUPPORTED)  # 2.5: preview features on v1alpha only


def _declarations(tools: Any) -> list[dict[str, Any]]:
    return [d for t in tools or [] for d in t.get("functionDeclarations") or []]


_CONTENT = frozenset({"parts", "role"})
_INSTRUCTION_ROLES = frozenset({"user", "system"})


def check_context_update(body: Any, model: str) -> None:
    """A `contextUpdate` (docs/gemini-live.md, "Who is speaking: context updates in a group"):
    `systemInstruction` and/or `tools` (`{"tools": [...]}`, the SDK's presence wrapper) and
    nothing else, the instruction a Content of text parts, the tools as a setup's.
    ASSUMPTIONS (strict, as for the setup): the refusals are 1007 `Request contains an invalid
    argument.`; an empty update, a part that is not text, or a role other than user/system is
    refused; models older than 3.8 refuse the message itself with 1008 (no public source says
    they take it: 3.1 takes client content only as initial history, js-genai #1877 asks for a
    mid-session context message on 3.1)."""
    if not model.startswith("gemini-3.8"):
        raise ProtocolError(1008, NOT_SUPPORTED)
    if not isinstance(body, dict) or not body or not set(body) <= {"systemInstruction", "tools"}:
        raise ProtocolError(1007, INVALID_ARGUMENT)
    if "systemInstruction" in body:
        content = body["systemInstruction"]
        if not isinstance(content, dict) or not set(content) <= _CONTENT:
            raise ProtocolError(1007, INVALID_ARGUMENT)
        if content.get("role", "user") not in _INSTRUCTION_ROLES:
            raise ProtocolError(1007, INVALID_ARGUMENT)
        parts = content.get("parts")
        if not isinstance(parts, list) or not parts:
            raise ProtocolError(1007, INVALID_ARGUMENT)
        for part in parts:
            if not isinstance(part, dict) or set(part) != {"text"}:
                raise ProtocolError(1007, INVALID_ARGUMENT)
            if not isinstance(part["text"], str):
                raise ProtocolError(1007, INVALID_ARGUMENT)
    if "tools" in body:
        wrapper = body["tools"]
        if not isinstance(wrapper, dict) or not set(wrapper) <= {"tools"}:
            raise ProtocolError(1007, INVALID_ARGUMENT)
        check_tools(wrapper.get("tools") or [])
