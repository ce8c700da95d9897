"""What the demo tutor can say in one language, whatever the topic: the data each
`roleplay/<lang>.py` module fills in.

Two registers: `simple` for A1-A2 (short sentences, the most common words) and `fuller` for
B1-C2. Topic-specific words come from the system instruction (the opener and the target
phrases); these lines only acknowledge, answer, move the scene on and close it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module

LANGUAGES = ("es", "fr", "de", "it", "pt", "ja", "en")


@dataclass(frozen=True, slots=True)
class Register:
    hello: str  # "{name}" is the learner's name
    start: str  # opens the scene, handing over to the learner, when the topic has no opening line
    acks: tuple[str, ...]  # to a statement or a request, in a service scene (a shop, a café)
    chat_acks: tuple[str, ...]  # to a statement in any other scene (a chat, a story)
    chat_more: tuple[str, ...]  # leads to a statement in such a scene
    greeting: str  # to a line that is a greeting
    thanks: str  # to thanks or "that's all"
    price: str  # to "how much is it?"
    count: str  # to "how many?"
    time: str  # to "when?" or "how long?"
    way: str  # to "how do I get to ...?"
    you: str  # to "and you?"
    yes: str  # to a yes/no question
    open: tuple[str, ...]  # to any other question
    ask_question: tuple[str, ...]  # leads to a target phrase that asks something
    ask_more: tuple[str, ...]  # leads to any other target phrase in a service scene
    recast: str  # "{corrected}": the learner's line, put right
    explain: str  # "{right}", "{wrong}": the words put right, for the "explain" style
    wrap_up: str  # once every target phrase has come up
    finished: str  # any turn after the wrap-up


@dataclass(frozen=True, slots=True)
class Cues:
    """Regular expressions (case-insensitive) that sort a line into a kind of turn."""

    price: str
    count: str
    time: str
    way: str
    you: str
    greeting: str  # a line that starts with a greeting
    thanks: str
    please: str  # a polite request: with a price or thanks, it makes a service scene
    wh: str  # a question word: a question that is not yes/no


@dataclass(frozen=True, slots=True)
class Plant:
    """A deliberate learner error: `right` (a regex) found in a target phrase becomes
    `wrong` (its replacement template), which the tutor then corrects."""

    right: str
    wrong: str
    explanation: str  # English, like the free-talk scripts' explanations
    kind: str  # grammar | vocabulary | pronunciation | register


@dataclass(frozen=True, slots=True)
class Lines:
    lang: str
    notice: str  # said once, first: the demo cannot understand speech
    simple: Register
    fuller: Register
    cues: Cues
    plants: tuple[Plant, ...]
    afterwards: tuple[str, ...]  # what the script "hears" once the scene is over
    spaced: bool = True  # False for Japanese: sentences join without a space


@cache
def lines_for(lang: str) -> Lines:
    if lang not in LANGUAGES:
        raise KeyError(lang)
    lines: Lines = import_module(f"tutor.emulator.roleplay.{lang}").LINES
    return lines
