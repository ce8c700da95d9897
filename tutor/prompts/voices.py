"""Gemini's prebuilt voices: the one list Tertulia keeps of them, and a sample line per language.

Native-audio Live models and the TTS models take any of these 30 names in
`speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName` (docs/gemini-live.md §6); each comes
with the one-word character Google's voice library gives it. A topic's persona names one of
them, and so may a learner for free talk; `voice_for` (languages.py) is the language's own.
`accounts.choices.TUTOR_VOICES` spells the names out again for the forms (accounts may not
import tutor) and the emulator has its own copy, as the real service does; a test keeps the
three in step.
"""

from __future__ import annotations

from tutor.prompts.languages import voice_for

PREBUILT_VOICES: dict[str, str] = {
    "Zephyr": "bright",
    "Puck": "upbeat",
    "Charon": "informative",
    "Kore": "firm",
    "Fenrir": "excitable",
    "Leda": "youthful",
    "Orus": "firm",
    "Aoede": "breezy",
    "Callirrhoe": "easy-going",
    "Autonoe": "bright",
    "Enceladus": "breathy",
    "Iapetus": "clear",
    "Umbriel": "easy-going",
    "Algieba": "smooth",
    "Despina": "smooth",
    "Erinome": "clear",
    "Algenib": "gravelly",
    "Rasalgethi": "informative",
    "Laomedeia": "upbeat",
    "Achernar": "soft",
    "Alnilam": "firm",
    "Schedar": "even",
    "Gacrux": "mature",
    "Pulcherrima": "forward",
    "Achird": "friendly",
    "Zubenelgenubi": "casual",
    "Vindemiatrix": "gentle",
    "Sadachbia": "lively",
    "Sadaltager": "knowledgeable",
    "Sulafat": "warm",
}

# What a voice says when a teacher or learner listens to it before choosing: a greeting in the
# language it will speak, with its own name, so each sample says which voice it is.
PREVIEW_LINES: dict[str, str] = {
    "es": "¡Hola! Me llamo {name}. ¿Charlamos un rato en español?",
    "fr": "Bonjour ! Je m'appelle {name}. On discute un peu en français ?",
    "de": "Hallo! Ich heiße {name}. Wollen wir ein bisschen Deutsch sprechen?",
    "it": "Ciao! Mi chiamo {name}. Facciamo due chiacchiere in italiano?",
    "pt": "Olá! Eu me chamo {name}. Vamos conversar um pouco em português?",
    "ja": "こんにちは！{name}です。日本語で少し話しましょうか。",
    "en": "Hi there! I'm {name}. Shall we have a little chat in English?",
}


def is_prebuilt_voice(name: str) -> bool:
    return name in PREBUILT_VOICES


def preview_line(voice: str, language: str) -> str:
    """The sample a voice reads in `language`; ValueError for an unknown voice or language."""
    if voice not in PREBUILT_VOICES:
        raise ValueError(f"unknown voice {voice!r}; expected one of {sorted(PREBUILT_VOICES)}")
    try:
        return PREVIEW_LINES[language].format(name=voice)
    except KeyError:
        raise ValueError(f"no preview line for language {language!r}") from None


def choose_voice(language: str, chosen: str = "") -> str:
    """The voice of one conversation: the one chosen (a topic persona's, or the learner's for
    free talk) if it is a prebuilt voice, else the language's own. An unknown name is never
    sent: the real service would refuse the whole session for it."""
    return chosen if chosen in PREBUILT_VOICES else voice_for(language)
