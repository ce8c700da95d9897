"""The demo tutor as a group moderator: who is in the room and who speaks, from the instruction.

A real model knows who is speaking only from what it is told: the group instruction lists the
learners ("THE LEARNERS", one `- Name (native language: X)` line each; tutor/prompts/text/
group/base.txt) and ends with ROOM NOW (who holds the floor, each learner's share of talk
time, who has said least), which the server replaces with a Live `contextUpdate` whenever the
floor passes (docs/gemini-live.md, "Who is speaking: context updates in a group"). The emulator
reads the same text, so a server that forgets to send the update gets replies addressed to the
wrong learner in tests too.

What the moderator does with it (`moderate`): thank the speaker by name, then hand the floor
to the present learner who has said least (ROOM NOW's shares, the speaker left out), turn
about inviting them ("Ciro, what about you?") or asking them to respond to the speaker ("Ciro,
do you agree with Ana?"), as the group prompt asks: balance talk time, invite the quietest,
have learners answer each other. Never the last speaker again, who has just had a turn. The
lines are per language, generic (no topic words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARKER = re.compile(r"\bsmall group of learners\b", re.I)
_MEMBER = re.compile(r"^- (.+?) \(native language: [^()\n]*\)\s*$", re.M)
_ROOM = "ROOM NOW"
_SPEAKING = re.compile(r"^Speaking now: (.+?)\s*$", re.M)
_SHARE = re.compile(r"^- (.+?): (\d{1,3})%\s*$", re.M)
_QUIETEST = re.compile(r"^Said least so far: (.+?)\s*$", re.M)
NOBODY = "nobody"


@dataclass
class Room:
    members: list[str]
    speaker: str | None = None  # the floor holder ROOM NOW names
    shares: dict[str, int] = field(default_factory=dict)  # percent of talk time so far
    quietest: str | None = None
    previous: str | None = None  # the speaker of the last learner turn answered
    turns: int = 0  # learner turns answered, for the moderator's rotation


def read_room(instruction: str) -> Room | None:
    """The room a group instruction describes; None for any other instruction."""
    if not MARKER.search(instruction):
        return None
    head, found, _ = instruction.rpartition(f"\n{_ROOM}\n")
    members = _MEMBER.findall(head if found else instruction)
    if not members:
        return None
    state = Room(members=members)
    update(state, instruction)
    return state


def update(room: Room, instruction: str) -> None:
    """Take the floor and the shares from the instruction's ROOM NOW section, if it has one;
    the members from its learner lines, if it is a group instruction at all."""
    head, found, section = instruction.rpartition(f"\n{_ROOM}\n")
    if MARKER.search(instruction) and (members := _MEMBER.findall(head if found else instruction)):
        room.members = members
    if not found:
        return
    speaking = _SPEAKING.search(section)
    room.speaker = _named(speaking.group(1)) if speaking else None
    room.shares = {name: int(share) for name, share in _SHARE.findall(section)}
    quietest = _QUIETEST.search(section)
    room.quietest = _named(quietest.group(1)) if quietest else None


def _named(text: str) -> str | None:
    return None if text == NOBODY else text


@dataclass(frozen=True, slots=True)
class GroupLines:
    hello: str  # "{names}": every member
    joiner: str  # the last "and" of a list of names
    thanks: str  # "{name}": to the speaker, before the reply
    invite: str  # "{name}": hands the floor to someone who has said little
    agree: str  # "{other}", "{speaker}": asks the quietest learner to respond to the speaker


LINES = {
    "es": GroupLines(
        "Hola, {names}.", "y", "Gracias, {name}.", "{name}, ¿y tú? Cuéntanos.",
        "{other}, ¿estás de acuerdo con {speaker}?",
    ),
    "en": GroupLines(
        "Hello, {names}.", "and", "Thank you, {name}.", "{name}, what about you? Tell us.",
        "{other}, do you agree with {speaker}?",
    ),
    "fr": GroupLines(
        "Bonjour, {names}.", "et", "Merci, {name}.", "{name}, et toi ? Raconte-nous.",
        "{other}, tu es d'accord avec {speaker} ?",
    ),
    "de": GroupLines(
        "Hallo, {names}.", "und", "Danke, {name}.", "{name}, und du? Erzähl mal.",
        "{other}, bist du einverstanden mit {speaker}?",
    ),
    "it": GroupLines(
        "Ciao, {names}.", "e", "Grazie, {name}.", "{name}, e tu? Raccontaci.",
        "{other}, sei d'accordo con {speaker}?",
    ),
    "pt": GroupLines(
        "Olá, {names}.", "e", "Obrigada, {name}.", "{name}, e você? Conte para nós.",
        "{other}, você concorda com {speaker}?",
    ),
    "ja": GroupLines(
        "{names}、こんにちは。", "と", "{name}さん、ありがとう。", "{name}さんは どうですか。",
        "{other}さんは {speaker}さんと 同じ 意見ですか。",
    ),
}  # fmt: skip


def lines_for(lang: str) -> GroupLines:
    return LINES.get(lang, LINES["en"])


def hello(lang: str, room: Room) -> str:
    lines = lines_for(lang)
    names = room.members
    if lang == "ja":
        listed = "さんと ".join(names) + "さん"
    elif len(names) == 1:
        listed = names[0]
    else:
        listed = f"{', '.join(names[:-1])} {lines.joiner} {names[-1]}"
    return lines.hello.format(names=listed)


def ask(lang: str, name: str, question: str) -> str:
    """`question` put to `name`: "Ana, ¿cómo estás hoy?" (German keeps its capitals)."""
    if lang == "ja":
        return f"{name}さん、{question}"
    if lang != "de":
        lead = len(question) - len(question.lstrip("¿¡"))
        question = question[:lead] + question[lead : lead + 1].lower() + question[lead + 1 :]
    return f"{name}, {question}"


def speaker_of(room: Room) -> str:
    """Who the tutor answers: the floor holder ROOM NOW names, else (no update yet) the
    first learner."""
    return room.speaker if room.speaker in room.members else room.members[0]


def quietest_other(room: Room, speaker: str) -> str | None:
    """The present learner with the least talk time who is not speaking now. ROOM NOW lists a
    share for each present learner only, so a learner without one is away (until an update
    has come, everyone counts). ROOM NOW's own pick when that is someone else; else the lowest
    share among the others, a tie going to whoever did not speak last."""
    here = [m for m in room.members if m in room.shares] if room.shares else list(room.members)
    if room.quietest in here and room.quietest != speaker:
        return room.quietest
    others = [m for m in here if m != speaker]
    if not others:
        return None
    return min(others, key=lambda m: (room.shares.get(m, 0), m == room.previous))


def moderate(lang: str, room: Room, reply: str, question: str) -> str:
    """The reply to the speaker's turn: thanks by name, what the script answers (`reply`, its
    closing question `question` left out), then a hand-over to the quietest other learner who
    is here, turn about an invitation or a question about what the speaker said (learners
    respond to each other); with nobody else here, the script's own question to the speaker."""
    lines = lines_for(lang)
    speaker = speaker_of(room)
    quiet = quietest_other(room, speaker)
    if quiet is None:
        handover = question
    elif room.turns % 2 == 0:
        handover = lines.invite.format(name=quiet)
    else:
        handover = lines.agree.format(other=quiet, speaker=speaker)
    room.previous, room.turns = speaker, room.turns + 1
    parts = [lines.thanks.format(name=speaker), reply, handover]
    return ("" if lang == "ja" else " ").join(p for p in parts if p)
