"""What kind of turn a line is, so the tutor can answer it: a price question, a way to go,
"and you?", another question, thanks, or a statement."""

from __future__ import annotations

import re

from tutor.emulator.roleplay.lines import Cues

_QUESTION_END = re.compile(r"[?\uff1f]\s*[\"'»”“」]*\s*$|か[。.]?\s*$")
_OPENING = re.compile(r"^[\s¿¡\"'«“„「]+")


def is_question(line: str) -> bool:
    return bool(_QUESTION_END.search(line))


def kind_of(line: str, cues: Cues) -> str:
    """One of price, time, count, way, you, open, yes (questions), greeting, thanks or
    statement."""
    text = line.casefold().replace("’", "'")
    if not is_question(line):
        if re.search(cues.greeting, _OPENING.sub("", text)) and _short(text):
            return "greeting"  # a greeting with an order after it is answered as the order
        return "thanks" if re.search(cues.thanks, text) else "statement"
    asked = _OPENING.sub("", text.rsplit("¿", 1)[-1])  # "Disculpe, ¿cómo llego…?"
    for kind in ("price", "time", "count", "way", "you"):
        if re.search(getattr(cues, kind), asked):
            return kind
    return "open" if re.search(cues.wh, asked) else "yes"


def _short(text: str) -> bool:
    words = text.split()
    return len(words) <= 4 if len(words) > 1 else len(text) <= 12
