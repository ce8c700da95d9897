"""Validating the first client frame (`setup`) and reading the parts the emulator uses.

Error codes and reasons follow docs/gemini-live.md §2.2 and §5.2. Where the real server's
behaviour is unknown the choice is marked ASSUMPTION.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MODELS = frozenset(
    {
        "gemini-3.8-live",
        "gemini-3.8-live-extended-thinking",
        "gemini-3.1-flash-live-preview",
        "gemini-2.5-flash-native-audio-preview-12-2025",
        "gemini-2.5-flash-native-audio-preview-09-2025",
    }
)
INVALID_ARGUMENT = "Request contains an invalid argument."
# ASSUMPTION: no close code for a bad key is documented (§5.2); 1008 with the REST wording.
BAD_KEY = "API key not valid. Please pass a valid API key."
INVALID_KEYS = frozenset({"", "invalid-key"})
# ASSUMPTION: the real code for an unknown or expired resumption handle is unverified (§4.4).
BAD_HANDLE = "Session resumption handle is invalid or expired."
# A feature the model (or this API version) lacks (adk-python #4679, docs/gemini-live.md §5.2).
NOT_SUPPORTED = "Operation is not implemented, or supported, or enabled."
TEXT_MODALITY = (
    "The requested combination of response modalities (TEXT) is not supported by the model."
)


class ProtocolError(Exception):
    """End the session with this WebSocket close code and reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(code, reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class LiveConfig:
    model: str  # without "models/"
    language_code: str | None
    instruction: str
    tools: dict[str, str] = field(default_factory=dict)  # function name -> behavior
    resumption: bool = False
    resume_handle: str | None = None
    aad: bool = True  # automatic activity detection
    silence_ms: int | None = None
    start_sensitivity: str | None = None
    interrupts: bool = True  # activityHandling != NO_INTERRUPTION
    history_in_client_content: bool = False
    voice: str | None = None  # speechConfig's prebuilt voice name, checked by strict.py


def parse_setup(message: dict[str, Any], api_key: str | None, version: str) -> LiveConfig:
    """`message` is the normalised (camelCase) first frame. Raise ProtocolError if invalid."""
    setup = message.get("setup")
    if len(message) != 1 or not isinstance(setup, dict):
        raise ProtocolError(1007, INVALID_ARGUMENT)
    model = setup.get("model")
    if not isinstance(model, str) or not model.startswith("models/"):
        raise ProtocolError(1007, INVALID_ARGUMENT)
    if (api_key or "") in INVALID_KEYS:
        raise ProtocolError(1008, BAD_KEY)
    name = model.removeprefix("models/")
    # Live is served on v1beta (and v1alpha for ephemeral tokens) only; on v1 every model is
    # "not found" (docs/gemini-live.md §1.4).
    if name not in MODELS or version == "v1":
        raise ProtocolError(
            1008,
            f"{model} is not found for API version {version}, or is not supported for "
            "bidiGenerateContent. Call ListModels to see the list of available models and "
            "their supported methods.",
        )
    generation = _dict(setup, "generationConfig")
    if "TEXT" in (generation.get("responseModalities") or []):
        raise ProtocolError(1007, TEXT_MODALITY)
    from tutor.emulator.strict import check_setup  # strict.py imports this module's errors

    check_setup(setup, name, version)
    return _config(name, setup, generation)


def _config(name: str, setup: dict[str, Any], generation: dict[str, Any]) -> LiveConfig:
    realtime = _dict(setup, "realtimeInputConfig")
    detection = _dict(realtime, "automaticActivityDetection")
    silence = detection.get("silenceDurationMs")
    speech = _dict(generation, "speechConfig")
    voice = _dict(_dict(speech, "voiceConfig"), "prebuiltVoiceConfig").get("voiceName")
    return LiveConfig(
        model=name,
        language_code=speech.get("languageCode"),
        voice=voice if isinstance(voice, str) else None,
        instruction=instruction_text(setup.get("systemInstruction")),
        tools=declared_functions(setup.get("tools"), name),
        resumption="sessionResumption" in setup,
        resume_handle=_dict(setup, "sessionResumption").get("handle") or None,
        aad=not detection.get("disabled", False),
        silence_ms=int(silence) if isinstance(silence, int | float | str) else None,
        start_sensitivity=detection.get("startOfSpeechSensitivity"),
        interrupts=realtime.get("activityHandling") != "NO_INTERRUPTION",
        history_in_client_content=bool(
            _dict(setup, "historyConfig").get("initialHistoryInClientContent")
        ),
    )


def instruction_text(content: Any) -> str:
    """Text of a systemInstruction, given as a Content dict or (by raw clients) a string."""
    if isinstance(content, str):
        return content
    if not isinstance(content, dict):
        return ""
    parts = content.get("parts") or []
    return "\n".join(p["text"] for p in parts if isinstance(p, dict) and "text" in p)


def _default_behavior(model: str) -> str:
    # 3.8 Live makes function calls NON_BLOCKING unless declared otherwise (§6).
    return "NON_BLOCKING" if model.startswith("gemini-3.8") else "BLOCKING"


def declared_functions(tools: Any, model: str) -> dict[str, str]:
    """Declared function name -> behavior, the model's default where none is given."""
    default = _default_behavior(model)
    declared: dict[str, str] = {}
    for tool in tools if isinstance(tools, list) else []:
        for decl in _dict_list(tool, "functionDeclarations"):
            if isinstance(decl.get("name"), str):
                declared[decl["name"]] = decl.get("behavior") or default
    return declared


def _dict(parent: dict[str, Any], key: str) -> dict[str, Any]:
    value = parent.get(key)
    return value if isinstance(value, dict) else {}


def _dict_list(parent: Any, key: str) -> list[dict[str, Any]]:
    value = parent.get(key) if isinstance(parent, dict) else None
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
