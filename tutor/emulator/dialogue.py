"""The demo tutor's conversation state and what it says next.

Pure functions over `DialogueState`; no I/O. The Live session and the text fallback both use
them, so a typed turn gets the same correction over either path. Everything comes from the
system instruction, as it would for a real model: its language, level and learner's name, and
for a topic its opening line and target phrases, from which `roleplay` builds the scene. An
instruction with no target phrase gets the free-talk script of `scripts/`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace

from tutor.emulator import group, memory, placement, roleplay
from tutor.emulator.roleplay import Scene, build_scene, read_brief
from tutor.emulator.roleplay.upgrades import asks_to_repeat, upgrade_for
from tutor.emulator.scripts import LANGUAGES, Band, Script, Step, load

_BAND = re.compile(r"\b([ABC])[12]\b")
# tutor.prompts writes: This is a role-play on the topic "Ordering at a café".
_TOPIC = re.compile(r'\btopic "([^"\n]+)"|^\s*(?:topic|theme)\s*[:\uff1a]\s*(.+?)\s*$', re.I | re.M)
_CODE = re.compile(r"\b(?:target[ _]language|language)\s*[:=]\s*([a-z]{2})\b", re.I)
_BEFORE = r"(?:learn(?:s|ing)?|practi[cs](?:e|es|ing)|target language(?: is)?:?|teach(?:ing)?)\s+"
_AFTER = r"\s+(?:tutor|teacher|lesson|conversation|practice)"
# tutor.prompts writes "Speak only Spanish." in its LANGUAGE section: the strongest cue.
_SPEAK = r"\b(?:(?:speak|answer|reply|respond)(?: only| always| entirely)? in|speak only)\s+"
_NATIVE = r"(?:native|first|mother)(?: language| tongue)?(?: is)?:?\s+"
# Everything before the tutor's closing question, so a topic line can go in front of it.
_LAST_QUESTION = re.compile(r"^(.*[.!\u3002\uff01])\s*([^.!\u3002\uff01]+[?\uff1f])\s*$", re.S)


@dataclass
class DialogueState:
    lang: str
    band: str
    topic: str | None = None
    step: int = 0  # counts learner turns; past the script's end the tutor only says it is over
    greeted: bool = False
    followups: int = 0
    history: list[list[str]] = field(default_factory=list)  # [speaker, text] pairs
    scene: Scene | None = None  # a role-play from the instruction's target phrases; None: free talk
    name: str = ""  # the learner's name, from the instruction
    recall: str = ""  # the greeting's "last time you told me ...", from the memory section
    # A spoken placement (tutor/emulator/placement/): probes the level instead of chatting.
    probe: placement.PlacementRun | None = None
    # A group room (tutor/emulator/group.py): the free-talk script, moderated by speaker.
    group: group.Room | None = None

    def snapshot(self) -> DialogueState:
        return copy.deepcopy(self)


@dataclass(frozen=True, slots=True)
class TurnPlan:
    heard: str | None  # what the emulator claims the learner said (inputTranscription)
    correction: dict[str, str] | None  # note_correction args
    phrase: dict[str, str] | None  # note_phrase args
    reply: str  # the tutor's words (outputTranscription)
    say: str  # what the TTS reads (kana for Japanese)
    upgrade: dict[str, str] | None = None  # note_upgrade args: a correct line, said better
    slow: bool = False  # the learner asked to hear the last line again, slowly


def notes_of(plan: TurnPlan) -> list[tuple[str, dict[str, str] | None]]:
    """The turn's notes as (function, args), in the order the tutor calls them."""
    return [
        ("note_correction", plan.correction),
        ("note_phrase", plan.phrase),
        ("note_upgrade", plan.upgrade),
    ]


def new_state(language_code: str | None, instruction: str) -> DialogueState:
    lang = detect_language(language_code, instruction)
    brief = read_brief(instruction)
    # A session restored from a transcript (tutor.live.upstream.CONTINUATION) must not greet,
    # just as the real model, told so, would not, and carries on where the transcript stops.
    continuing = CONTINUING in instruction.lower()
    room = group.read_room(instruction)
    is_placement = placement.is_placement(instruction)
    return DialogueState(
        lang=lang,
        band=detect_band(instruction),
        topic=detect_topic(instruction),
        greeted=continuing,
        step=brief.learner_lines_so_far if continuing else 0,
        scene=None if is_placement or room else build_scene(lang, brief),
        name=brief.name,
        recall=memory.recall(lang, memory.read_memory(instruction)),
        probe=placement.start(lang, brief.level) if is_placement else None,
        group=room,
    )


def apply_instruction(state: DialogueState, instruction: str) -> None:
    """A context update replaced the instruction: a group's room (speaker, shares) is read
    from it again; an instruction that turns a session into a group one starts the room."""
    if state.group is not None:
        group.update(state.group, instruction)
    elif (room := group.read_room(instruction)) is not None:
        state.group, state.scene, state.probe = room, None, None


CONTINUING = "conversation is already under way"


def detect_language(language_code: str | None, instruction: str) -> str:
    """ISO 639-1 code of the language the tutor speaks, decided by the system instruction.

    Native-audio Live models ignore speechConfig.language_code and choose the language from
    the instruction and the conversation (docs/gemini-live.md §6; adk-python issue #5542), so
    `language_code` never decides here: a prompt that fails to name its language must fail in
    tests too. Order: "Speak only X", "Target language: xx", "learning X" / "X tutor", then
    any language named other than the learner's native one, then English (the language of an
    English instruction that names none).
    """
    del language_code  # read from the setup, deliberately ignored (see above)
    text = instruction.lower()
    if found := _first_mention(text, lambda n: _SPEAK + n + r"\b"):
        return found
    if (match := _CODE.search(instruction)) and match.group(1).lower() in LANGUAGES:
        return match.group(1).lower()
    for cue in (lambda n: _BEFORE + n + r"\b", lambda n: r"\b" + n + _AFTER):
        if found := _first_mention(text, cue):
            return found
    native = _first_mention(text, lambda n: _NATIVE + n + r"\b")
    mentioned = _first_mention(text, lambda n: r"\b" + n + r"\b", skip={native, "en"})
    return mentioned or "en"


def _first_mention(text: str, pattern: object, skip: set[str | None] | None = None) -> str | None:
    best: tuple[int, str] | None = None
    for lang in LANGUAGES:
        if skip and lang in skip:
            continue
        for name in load(lang).names:
            match = re.search(pattern(re.escape(name)), text)  # type: ignore[operator]
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), lang)
    return best[1] if best else None


def detect_band(instruction: str) -> str:
    match = _BAND.search(instruction)
    return match.group(1) if match else "A"


def detect_topic(instruction: str) -> str | None:
    match = _TOPIC.search(instruction)
    return (match.group(1) or match.group(2)).rstrip(".")[:80] if match else None


def plan_greeting(state: DialogueState) -> TurnPlan:
    """Says once, first and briefly, that the demo cannot understand speech; then the
    topic's opening line (a role-play) or a hello and the script's first question."""
    state.greeted = True
    if state.group is not None:
        return _group_greeting(state, state.group)
    if state.probe is not None:
        lines = roleplay.lines_for(state.lang)
        opening = [lines.notice, roleplay.hello(_register(state), state.name)]
        return _tutor_turn(
            state, None, None, None, roleplay.join(lines, [*opening, state.probe.opening()])
        )
    if state.scene is not None:
        greeting = roleplay.greeting(state.scene)
        if state.recall:  # after the notice, before the scene opens
            notice = state.scene.lines.notice
            rest = greeting.removeprefix(notice).strip()
            greeting = roleplay.join(state.scene.lines, [notice, state.recall, rest])
        return _tutor_turn(state, None, None, None, greeting)
    script, band = _script(state)
    lines = roleplay.lines_for(state.lang)
    opening = [lines.notice, roleplay.hello(_register(state), state.name), state.recall]
    reply = _with_topic(
        roleplay.join(lines, [*opening, band.greeting]), script.topic_line, state.topic
    )
    if band.greeting_say is None:
        return _tutor_turn(state, None, None, None, reply)
    say = roleplay.join(lines, [roleplay.kana(part) for part in opening] + [band.greeting_say])
    say = _with_topic(say, script.topic_line, state.topic)
    return _tutor_turn(state, None, None, None, reply, say)


def plan_spoken(state: DialogueState) -> TurnPlan:
    """The next scripted step: the emulator cannot recognise speech, so it pretends the
    learner said the script's line (a target phrase, now and then with an error)."""
    if state.group is not None:
        return _group_step(state, state.group, None)
    step = state.step
    state.step += 1
    if state.probe is not None:
        heard = state.probe.scripted_answer()
        return _tutor_turn(state, heard, None, None, state.probe.answer(heard))
    if state.scene is not None:
        heard, fix, reply = roleplay.spoken(state.scene, step)
        return _tutor_turn(state, heard, fix.note() if fix else None, None, reply)
    steps = _script(state)[1].steps
    if step >= len(steps):
        lines = roleplay.lines_for(state.lang)
        heard = lines.afterwards[(step - len(steps)) % len(lines.afterwards)]
        return _tutor_turn(state, heard, None, None, _register(state).finished)
    return _step_plan(state, steps[step], steps[step].learner)


def plan_typed(state: DialogueState, text: str) -> TurnPlan:
    """React to real typed text: correct an error the script knows; a role-play moves on. A
    request to repeat ("más despacio") gets the last line again, slowly, and moves nothing."""
    if state.probe is not None:  # a placement never corrects
        return _tutor_turn(state, text, None, None, state.probe.answer(text))
    last = [line for speaker, line in state.history if speaker == "tutor"]
    if last and asks_to_repeat(state.lang, text):
        plan = _tutor_turn(state, text, None, None, last[-1])
        return replace(plan, upgrade=None, slow=True)
    if state.group is not None:
        return _group_step(state, state.group, text)
    if state.scene is not None:
        return _typed_in_scene(state, state.scene, text)
    script, band = _script(state)
    count = len(band.steps)
    for offset in range(count):
        step = band.steps[(state.step + offset) % count]
        if step.corrected(text) is not None:
            state.step += offset + 1
            return _step_plan(state, step, text)
    reply = script.followups[state.followups % len(script.followups)]
    state.followups += 1
    return _tutor_turn(state, text, None, None, reply)


def text_reply(state: DialogueState, user_texts: list[str]) -> str:
    """A whole reply for the text fallback: replay the user's messages, recast the last one.
    A first message in parentheses is the bridge's join trigger and gets the greeting."""
    return text_turn(state, user_texts)[1]


def text_turn(state: DialogueState, user_texts: list[str]) -> tuple[TurnPlan, str]:
    """`text_reply` with the plan of the last message, whose notes the text endpoint sends
    as function calls."""
    plan: TurnPlan | None = None
    for i, text in enumerate(user_texts):
        if i == 0 and (not text.strip() or text.lstrip().startswith("(")):
            plan = plan_greeting(state)
        else:
            state.greeted = True
            plan = plan_typed(state, text)
    if plan is None:
        plan = plan_greeting(state)
    if plan.correction is None or state.scene is not None:  # a role-play's reply recasts
        return plan, plan.reply
    corrected = plan.correction["corrected"].rstrip(".!?\u3002\uff01\uff1f")
    recast = _script(state)[0].recast.format(corrected=corrected)
    return plan, recast + plan.reply


def _group_greeting(state: DialogueState, room: group.Room) -> TurnPlan:
    """The notice, a hello to everyone by name, the script's first question to one of them
    (after the topic's line, when the instruction names a topic)."""
    lines = roleplay.lines_for(state.lang)
    script, band = _script(state)
    ask = group.ask(state.lang, group.speaker_of(room), band.greeting)
    greeting = roleplay.join(lines, [lines.notice, group.hello(state.lang, room), ask])
    return _tutor_turn(
        state, None, None, None, _with_topic(greeting, script.topic_line, state.topic)
    )


def _group_step(state: DialogueState, room: group.Room, typed: str | None) -> TurnPlan:
    """A learner turn in a group: the speaker (ROOM NOW's floor holder) "said" the script's
    next line, errors and all (spoken), or `typed`; the notes are for that line; the reply
    thanks the speaker by name and hands the floor on (`group.moderate`). The script's lines
    come round again for a room that talks longer than it."""
    script, band = _script(state)
    steps = band.steps
    if typed is None:
        step: Step | None = steps[state.step % len(steps)]
        heard = step.learner  # type: ignore[union-attr]
        state.step += 1
    else:
        heard = typed
        step = next((st for st in steps if st.corrected(typed) is not None), None)
    correction = phrase = None
    if step is not None and (corrected := step.corrected(heard)) is not None:
        correction = {"original": heard, "corrected": corrected,
                      "explanation": step.explanation, "kind": step.kind}  # fmt: skip
        phrase = {"text": step.phrase[0], "translation": step.phrase[1]} if step.phrase else None
    answer = (
        step.reply
        if step is not None
        else script.followups[state.followups % len(script.followups)]
    )
    if step is None:
        state.followups += 1
    match = _LAST_QUESTION.match(answer)
    statement, question = (match.group(1), match.group(2)) if match else ("", answer)
    reply = group.moderate(state.lang, room, statement, question)
    return _tutor_turn(state, heard, correction, phrase, reply)


def _typed_in_scene(state: DialogueState, scene: Scene, text: str) -> TurnPlan:
    state.step, fix, reply = roleplay.typed(scene, state.step, text)
    correction, phrase = (fix.note(), None) if fix else _free_talk_notes(state, text)
    return _tutor_turn(state, text, correction, phrase, reply)


def _free_talk_notes(
    state: DialogueState, text: str
) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """The free-talk scripts' errors count in a role-play too: a real tutor notes any error,
    and the phrase that goes with it."""
    for step in _script(state)[1].steps:
        if (corrected := step.corrected(text)) is not None:
            correction = {"original": text, "corrected": corrected,
                          "explanation": step.explanation, "kind": step.kind}  # fmt: skip
            phrase = (
                {"text": step.phrase[0], "translation": step.phrase[1]} if step.phrase else None
            )
            return correction, phrase
    return None, None


def _step_plan(state: DialogueState, step: Step, heard: str) -> TurnPlan:
    correction = {
        "original": heard,
        "corrected": step.corrected(heard) or heard,
        "explanation": step.explanation,
        "kind": step.kind,
    }
    phrase = {"text": step.phrase[0], "translation": step.phrase[1]} if step.phrase else None
    reply, say = step.reply, step.reply_say or step.reply
    if state.step >= len(_script(state)[1].steps):  # the last step: wrap up, invite a new topic
        wrap = _register(state).wrap_up
        lines = roleplay.lines_for(state.lang)
        reply, say = roleplay.join(lines, [reply, wrap]), roleplay.join(lines, [say, wrap])
    return _tutor_turn(state, heard, correction, phrase, reply, say)


def _tutor_turn(
    state: DialogueState,
    heard: str | None,
    correction: dict[str, str] | None,
    phrase: dict[str, str] | None,
    reply: str,
    say: str | None = None,
) -> TurnPlan:
    if heard is not None:
        state.history.append(["learner", heard])
    state.history.append(["tutor", reply])
    if say is None:
        say = roleplay.kana(reply) if state.lang == "ja" else reply
    # A correct line may get a better way to say it (never one with an error: that is a fix).
    upgrade = upgrade_for(state.lang, heard) if heard and correction is None else None
    return TurnPlan(heard, correction, phrase, reply, say, upgrade)


def _script(state: DialogueState) -> tuple[Script, Band]:
    script = load(state.lang)
    return script, script.bands[state.band]


def _register(state: DialogueState) -> roleplay.lines.Register:
    lines = roleplay.lines_for(state.lang)
    return lines.simple if state.band == "A" else lines.fuller


def _with_topic(greeting: str, topic_line: str, topic: str | None) -> str:
    match = _LAST_QUESTION.match(greeting)
    if not topic or not match:
        return greeting
    joiner = "" if " " not in greeting else " "
    return joiner.join([match.group(1), topic_line.format(topic=topic), match.group(2)])
