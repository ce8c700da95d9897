"""The tutor's system instruction, opening trigger and function tools, built from text files.

No Django and no google-genai here: `tutor.live` and the consumer pass plain values in and get
plain strings and dicts out.
"""

from __future__ import annotations

from tutor.prompts.builder import (
    CEFR_LEVELS,
    CORRECTION_STYLES,
    CorrectionStyle,
    LearnerBrief,
    TopicBrief,
    build_system_instruction,
    opener_text,
)
from tutor.prompts.languages import (
    LANGUAGES,
    OTHER_NATIVE_LANGUAGES,
    LanguageInfo,
    get_language,
    native_language_name,
    speech_language_code,
    voice_for,
)
from tutor.prompts.tools import CORRECTION_KINDS, TOOL_DECLARATIONS
from tutor.prompts.voices import PREBUILT_VOICES, choose_voice, preview_line

__all__ = [
    "CEFR_LEVELS",
    "CORRECTION_KINDS",
    "CORRECTION_STYLES",
    "LANGUAGES",
    "OTHER_NATIVE_LANGUAGES",
    "PREBUILT_VOICES",
    "TOOL_DECLARATIONS",
    "CorrectionStyle",
    "LanguageInfo",
    "LearnerBrief",
    "TopicBrief",
    "build_system_instruction",
    "choose_voice",
    "get_language",
    "native_language_name",
    "opener_text",
    "preview_line",
    "speech_language_code",
    "voice_for",
]
