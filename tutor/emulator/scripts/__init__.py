"""Scripted dialogues for the offline demo tutor, one module per target language.

These are the free-talk scripts, used when the instruction names no target phrase (a topic's
role-play is built from the instruction instead, in `tutor/emulator/roleplay/`). Each band
(A = A1-A2, B = B1-B2, C = C1-C2) has an opening question and a few steps. A step holds the
learner line the emulator pretends to have heard (it cannot recognise speech), one deliberate
learner error described as a regex substitution, and the tutor's reply, which recasts the
corrected form. The same substitutions drive the text fallback's recasts, and typed text in a
role-play is checked against them too. After the last step the tutor wraps up
(`roleplay.lines`); the script never starts again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

LANGUAGES = ("es", "fr", "de", "it", "pt", "ja", "en")
BANDS = ("A", "B", "C")


@dataclass(frozen=True, slots=True)
class Step:
    learner: str
    match: str  # regex for the learner's error
    replace: str  # re.sub replacement giving the corrected line
    explanation: str
    kind: str  # grammar | vocabulary | pronunciation | register
    reply: str
    phrase: tuple[str, str] | None = None  # (text, translation) for note_phrase
    learner_say: str | None = None  # what TTS should read, when it differs (Japanese kana)
    reply_say: str | None = None

    def corrected(self, text: str) -> str | None:
        """The corrected form of `text`, or None if this step's error is not in it."""
        fixed, count = re.subn(self.match, self.replace, text)
        return fixed if count else None


@dataclass(frozen=True, slots=True)
class Band:
    greeting: str  # the opening question; the demo notice and a hello go before it
    steps: tuple[Step, ...]
    greeting_say: str | None = None


@dataclass(frozen=True, slots=True)
class Script:
    lang: str
    names: tuple[str, ...]  # lower-case names of the language, to spot it in a prompt
    topic_line: str  # "{topic}" is replaced by the topic found in the system instruction
    recast: str  # "{corrected}" is replaced; prefixes a text-fallback reply
    followups: tuple[str, ...]  # replies to typed text that matches no scripted error
    bands: dict[str, Band] = field(default_factory=dict)


@cache
def load(lang: str) -> Script:
    if lang not in LANGUAGES:
        raise KeyError(lang)
    script: Script = import_module(f"{__name__}.{lang}").SCRIPT
    return script
