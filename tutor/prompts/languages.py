"""The languages Tertulia can teach, with what speech and search need to know about each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LanguageInfo:
    code: str  # ISO 639-1, the key used everywhere in the app
    name: str  # English name, used inside the (English) system instruction
    native_name: str
    speech_code: str  # BCP-47 code for Gemini Live's speech_config.language_code
    voice: str  # one of Gemini's prebuilt voices; they all speak every supported language
    search_config: str  # PostgreSQL text-search configuration for transcripts
    backchannels: tuple[str, ...]  # short listening sounds a native speaker would use


LANGUAGES: dict[str, LanguageInfo] = {
    info.code: info
    for info in (
        LanguageInfo(
            code="es",
            name="Spanish",
            native_name="Español",
            speech_code="es-ES",
            voice="Kore",
            search_config="spanish",
            backchannels=("ajá", "claro", "mm", "vale", "¿ah, sí?"),
        ),
        LanguageInfo(
            code="fr",
            name="French",
            native_name="Français",
            speech_code="fr-FR",
            voice="Aoede",
            search_config="french",
            backchannels=("mm", "d'accord", "ah bon ?", "je vois", "oui oui"),
        ),
        LanguageInfo(
            code="de",
            name="German",
            native_name="Deutsch",
            speech_code="de-DE",
            voice="Charon",
            search_config="german",
            backchannels=("mhm", "ja", "genau", "ach so", "echt?"),
        ),
        LanguageInfo(
            code="it",
            name="Italian",
            native_name="Italiano",
            speech_code="it-IT",
            voice="Leda",
            search_config="italian",
            backchannels=("mm", "sì", "certo", "ah, davvero?", "capisco"),
        ),
        # Brazilian Portuguese: Gemini Live offers pt-BR for speech, not pt-PT.
        LanguageInfo(
            code="pt",
            name="Portuguese",
            native_name="Português",
            speech_code="pt-BR",
            voice="Puck",
            search_config="portuguese",
            backchannels=("aham", "claro", "entendi", "é mesmo?", "sei"),
        ),
        # PostgreSQL ships no Japanese stemmer; "simple" at least lower-cases and splits.
        LanguageInfo(
            code="ja",
            name="Japanese",
            native_name="日本語",
            speech_code="ja-JP",
            voice="Zephyr",
            search_config="simple",
            backchannels=("はい", "ええ", "なるほど", "そうなんですね", "へえ"),
        ),
        LanguageInfo(
            code="en",
            name="English",
            native_name="English",
            speech_code="en-US",
            voice="Orus",
            search_config="english",
            backchannels=("mm-hm", "right", "I see", "oh really?", "sure"),
        ),
    )
}

# Languages a learner may speak natively but not study here: the prompt only needs their name.
# Keep in step with accounts.choices.NATIVE_LANGUAGES (a test checks).
OTHER_NATIVE_LANGUAGES: dict[str, str] = {
    "ar": "Arabic",
    "hi": "Hindi",
    "ko": "Korean",
    "nl": "Dutch",
    "pl": "Polish",
    "ru": "Russian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "zh": "Chinese",
}


def get_language(code: str) -> LanguageInfo:
    """The language for an ISO 639-1 code; ValueError for a language we do not support."""
    try:
        return LANGUAGES[code]
    except KeyError:
        raise ValueError(
            f"unsupported language {code!r}; expected one of {sorted(LANGUAGES)}"
        ) from None


def voice_for(language: str) -> str:
    return get_language(language).voice


def speech_language_code(language: str) -> str:
    return get_language(language).speech_code


def native_language_name(code: str) -> str:
    """English name of a learner's native language; ValueError for one we do not know."""
    if code in LANGUAGES:
        return LANGUAGES[code].name
    try:
        return OTHER_NATIVE_LANGUAGES[code]
    except KeyError:
        known = sorted([*LANGUAGES, *OTHER_NATIVE_LANGUAGES])
        raise ValueError(f"unknown native language {code!r}; expected one of {known}") from None
