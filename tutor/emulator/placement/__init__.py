"""The offline demo tutor's spoken placement, one script per target language.

Recognised from the system instruction (tutor/prompts/text/placement/live.txt says "placement
conversation"), it plays what the instruction asks: start at the learner's declared level, ask
one question there and a follow-up about the answer, move up a level when both answers hold
up, down when one does not, and stop once it has found the highest level the learner
sustains (or after MAX_ANSWERS answers) with a closing line. It never corrects.

The emulator cannot understand speech, so how well an answer "holds up" is judged by its
length (`holds_up`): a real examiner listens for much more, but a one-word guess fails here as
it would there. For spoken turns it pretends the learner said the script's answer at that
level: a demo learner who copes up to B1 and falters from B2 on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

LANGUAGES = ("es", "fr", "de", "it", "pt", "ja", "en")
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
# Words an answer needs, per level, to count (for Japanese, characters / CHARS_PER_WORD).
ENOUGH_WORDS = {"A1": 2, "A2": 4, "B1": 7, "B2": 10, "C1": 14, "C2": 18}
CHARS_PER_WORD = 3
MAX_ANSWERS = 10
MARKER = re.compile(r"\bplacement conversation\b", re.I)


@dataclass(frozen=True, slots=True)
class Probe:
    """One level's task: a question, a follow-up about the answer, and what the demo learner
    says to each when it speaks (the script's learner)."""

    question: str
    followup: str
    answer: str
    followup_answer: str


@dataclass(frozen=True, slots=True)
class PlacementScript:
    lang: str
    intro: str  # after the hello: what the chat is for
    ack: str  # before the next question: neutral, never a verdict or a correction
    easier: str  # before a question a level down
    closing: str  # once the level is found: thanks, and press Finish
    over: str  # to anything said after the closing
    probes: dict[str, Probe] = field(default_factory=dict)


@cache
def load(lang: str) -> PlacementScript:
    if lang not in LANGUAGES:
        raise KeyError(lang)
    script: PlacementScript = import_module(f"{__name__}.{lang}").SCRIPT
    return script


def is_placement(instruction: str) -> bool:
    return MARKER.search(instruction) is not None


def holds_up(text: str, level: str, lang: str) -> bool:
    """Whether an answer is long enough to count at `level` (see the module's docstring)."""
    if lang == "ja":
        size = len(re.sub(r"[\s\W]", "", text)) // CHARS_PER_WORD
    else:
        size = sum(1 for word in text.split() if re.search(r"\w", word))
    return size >= ENOUGH_WORDS[level]


@dataclass
class PlacementRun:
    """Where a placement has got to: the level being probed and what is known so far."""

    lang: str
    at: int  # index into LEVELS
    asking: str = "question"  # or "followup": what the last tutor turn asked
    passed: set[int] = field(default_factory=set)
    failed: set[int] = field(default_factory=set)
    answers: int = 0
    done: bool = False

    @property
    def level(self) -> str:
        return LEVELS[self.at]

    def opening(self) -> str:
        """The intro and the first question (the caller puts the notice and hello first)."""
        script = load(self.lang)
        return f"{script.intro} {script.probes[self.level].question}"

    def scripted_answer(self) -> str:
        """What the demo learner says next, when the emulator is spoken to."""
        if self.done:
            return load(self.lang).probes["A1"].answer
        probe = load(self.lang).probes[self.level]
        return probe.answer if self.asking == "question" else probe.followup_answer

    def answer(self, text: str) -> str:
        """The tutor's reply to the learner's answer `text`: a follow-up, the next question
        up or down, or the closing line."""
        script = load(self.lang)
        if self.done:
            return script.over
        self.answers += 1
        ok = holds_up(text, self.level, self.lang)
        if ok and self.asking == "question":
            self.asking = "followup"
            return f"{script.ack} {script.probes[self.level].followup}"
        if ok:
            self.passed.add(self.at)
            step = 1
        else:
            self.failed.add(self.at)
            step = -1
        nxt = self.at + step
        found = nxt < 0 or nxt >= len(LEVELS) or nxt in self.passed or nxt in self.failed
        if found or self.answers >= MAX_ANSWERS:
            self.done = True
            return script.closing
        self.at, self.asking = nxt, "question"
        lead = script.ack if step > 0 else script.easier
        return f"{lead} {script.probes[self.level].question}"


def start(lang: str, level: str) -> PlacementRun:
    return PlacementRun(lang=lang, at=LEVELS.index(level) if level in LEVELS else 1)
