"""A role-play scene built from the system instruction, and what the tutor says in it.

The scene walks the topic's target phrases in order: at each step the emulator "hears" the
next phrase (it cannot recognise speech), now and then with a planted error that the tutor
recasts and reports with note_correction, answers it in role and leads on to the next
phrase. After the last phrase it wraps up and invites a new topic; later turns only say that
the demo is over. Nothing loops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor.emulator.roleplay.brief import Brief
from tutor.emulator.roleplay.errors import Fix, find, norm, plant
from tutor.emulator.roleplay.kinds import kind_of
from tutor.emulator.roleplay.lines import Lines, Plant, Register, lines_for

MAX_STEPS = 8  # teachers give 1 to 8 target phrases (lessons/topic_rules.py)


@dataclass(frozen=True, slots=True)
class Scene:
    lang: str
    level: str
    name: str
    opener: str
    phrases: tuple[str, ...]
    style: str  # none | recast | explain
    fixes: tuple[Fix | None, ...]  # the error planted in each spoken step, if any
    service: bool  # a shop or a counter ("anything else?"), not a chat ("and then?")

    @property
    def lines(self) -> Lines:
        return lines_for(self.lang)

    @property
    def register(self) -> Register:
        return self.lines.simple if self.level.startswith("A") else self.lines.fuller

    @property
    def steps(self) -> int:
        return len(self.phrases)


def build_scene(lang: str, brief: Brief) -> Scene | None:
    """None when the instruction names no target phrase (free talk)."""
    if not brief.phrases:
        return None
    phrases = brief.phrases[:MAX_STEPS]
    lines = lines_for(lang)
    fixes = _plant_some(phrases, lines.plants)
    service = any(_serves(phrase, lines) for phrase in phrases)
    return Scene(lang, brief.level, brief.name, brief.opener, phrases, brief.style, fixes, service)


def greeting(scene: Scene) -> str:
    """The notice that the demo cannot understand speech, then the scene's first line."""
    if scene.opener:
        return join(scene.lines, [scene.lines.notice, scene.opener])
    first = hello(scene.register, scene.name)
    return join(scene.lines, [scene.lines.notice, first, scene.register.start])


def spoken(scene: Scene, step: int) -> tuple[str, Fix | None, str]:
    """(what the learner is taken to have said, its planted error, the tutor's reply)."""
    if step >= scene.steps:
        afterwards = scene.lines.afterwards
        return afterwards[(step - scene.steps) % len(afterwards)], None, scene.register.finished
    fix = scene.fixes[step]
    phrase = scene.phrases[step]
    return (fix.original if fix else phrase), fix, respond(scene, step, phrase, fix)


def typed(scene: Scene, step: int, text: str) -> tuple[int, Fix | None, str]:
    """(the next step, an error found in the text, the tutor's reply) for real typed text.
    Every turn moves the scene on, so it ends even if no target phrase is ever typed."""
    lines = scene.lines
    fix = find(text, scene.phrases, lines.plants, lines.spaced)
    if step >= scene.steps:
        return step, fix, join(lines, [*_correct(scene, fix), scene.register.finished])
    line = fix.corrected if fix else text
    index = _matching(scene, line, step)
    return index + 1, fix, respond(scene, index, line, fix)


def respond(scene: Scene, index: int, line: str, fix: Fix | None) -> str:
    """Correct (by the topic's style), answer the line in role, then lead to the next
    target phrase, or wrap up after the last."""
    reg = scene.register
    answer = _answer(scene, kind_of(line, scene.lines.cues), index)
    after = _lead(scene, index + 1) if index + 1 < scene.steps else reg.wrap_up
    return join(scene.lines, [*_correct(scene, fix), answer, after])


def hello(reg: Register, name: str) -> str:
    if name:
        return reg.hello.format(name=name)
    return reg.hello.replace(", {name}", "").replace("、{name}さん", "")


def join(lines: Lines, parts: list[str]) -> str:
    return ("" if not lines.spaced else " ").join(part for part in parts if part)


def _correct(scene: Scene, fix: Fix | None) -> list[str]:
    if fix is None or scene.style == "none":
        return []
    reg, stop = scene.register, "." if scene.lines.spaced else "。"
    corrected = fix.corrected.rstrip(".。 ")
    recast = reg.recast.format(corrected=corrected)
    parts = [recast if corrected.endswith(("?", "？", "!", "！")) else recast + stop]
    if scene.style == "explain":
        parts.append(reg.explain.format(right=fix.right, wrong=fix.wrong))
    return parts


def _answer(scene: Scene, kind: str, index: int) -> str:
    reg = scene.register
    if kind == "statement":
        acks = reg.acks if scene.service else reg.chat_acks
        return acks[index % len(acks)]
    if kind == "open":
        return reg.open[index % len(reg.open)]
    answer: str = getattr(reg, kind)
    return answer


def _lead(scene: Scene, index: int) -> str:
    reg = scene.register
    # A yes/no question is usually a request ("Could I have...?"): "anything else?" leads to it.
    if kind_of(scene.phrases[index], scene.lines.cues) not in (
        "yes",
        "statement",
        "greeting",
        "thanks",
    ):
        return reg.ask_question[index % len(reg.ask_question)]
    more = reg.ask_more if scene.service else reg.chat_more
    return more[index % len(more)]


def _serves(phrase: str, lines: Lines) -> bool:
    text = phrase.casefold()
    return kind_of(phrase, lines.cues) in ("price", "thanks") or bool(
        re.search(lines.cues.please, text)
    )


def _matching(scene: Scene, line: str, step: int) -> int:
    """The first unused target phrase the typed line contains (or is part of), else `step`."""
    spaced = scene.lines.spaced
    said = norm(line, spaced)
    for index in range(step, scene.steps):
        phrase = norm(scene.phrases[index], spaced)
        if phrase in said or (len(said.strip()) > 3 and said in phrase):
            return index
    return step


def _plant_some(phrases: tuple[str, ...], plants: tuple[Plant, ...]) -> tuple[Fix | None, ...]:
    """An error in every other phrase that can take one, varying the rule where it can."""
    fixes: list[Fix | None] = []
    used: set[str] = set()
    due = True
    for phrase in phrases:
        fresh = sorted(plants, key=lambda rule: rule.explanation in used)
        fix = plant(phrase, fresh) if due else None
        fixes.append(fix)
        due = fix is None
        if fix:
            used.add(fix.explanation)
    return tuple(fixes)
