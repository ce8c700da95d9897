"""The demo tutor's memory of a learner, both halves:

- **Recall.** A system instruction with a "WHAT YOU REMEMBER ABOUT" section (one `- kind: text`
  line per item, tutor/prompts/text/memory_section.txt) makes the greeting mention the first
  person, place, interest or goal in it, in the conversation's language: the learner's own
  words quoted in the line with "my" turned into "your" ("La última vez me contaste que tu
  hermana vive en Lyon."), else the line's names ("... me hablaste de Marseille.").
- **Update.** The memory update (tutor/prompts/text/memory/) is answered as a model would:
  the current lines kept, plus what the learner's lines in the new transcripts say about
  people (a possessive and a family word), places (a preposition and a capitalised name),
  likes and wants, and the corrections noted. A malformed request gets the real API's 400.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

UPDATE_MARK = "You keep a language tutor's memory of one learner"
_SECTION = re.compile(r"^WHAT YOU REMEMBER ABOUT .*$", re.M)
_ITEM = re.compile(r"^- (interest|person|place|goal|error|phrase): (.+)$")
_KINDS = ("interest", "person", "place", "goal", "error", "phrase")
_QUOTE = re.compile(r'"([^"\n]{3,})"|«([^«»\n]{3,})»')
_CAPITAL = re.compile(r"\b([A-ZÀ-ÖØ-Þ][\w'’-]+(?:[ -](?:de |del |la )?[A-ZÀ-ÖØ-Þ][\w'’-]+)*)")
_LANGUAGE = re.compile(r"\(([a-z]{2})\); native language")
_LEARNER = re.compile(r"^Learner: (.+)$", re.M)
_CORRECTION = re.compile(r'^- "(.+)" -> "(.+)"(?: \((.*)\))?$', re.M)


@dataclass(frozen=True)
class Words:
    told: str  # "{x}": the learner's words, turned round to "you"
    about: str  # "{x}": a name or a thing
    swaps: tuple[tuple[str, str], ...]  # first person -> second person (regex, replacement)
    mine: str  # a possessive that opens a clause about someone ("mi", "ma|mon|mes"...)
    family: dict[str, str]  # family (and pet) words -> English
    places: str  # prepositions before a place name
    likes: str  # a clause saying what the learner likes
    wants: str  # a clause saying what the learner wants


WORDS = {
    "es": Words(
        "La última vez me contaste que {x}.",
        "La última vez me hablaste de {x}.",
        ((r"\bmis\b", "tus"), (r"\bmi\b", "tu"), (r"\bme (gustan?|encantan?)\b", r"te \1"),
         (r"\bquiero\b", "quieres"), (r"\bvivo\b", "vives")),
        r"mis?",
        dict(hermana="sister", hermano="brother", madre="mother", padre="father", mamá="mum",
             papá="dad", hija="daughter", hijo="son", amiga="friend", amigo="friend",
             novia="girlfriend", novio="boyfriend", abuela="grandmother", abuelo="grandfather",
             prima="cousin", primo="cousin", mujer="wife", marido="husband", perro="dog",
             gato="cat", jefe="boss", jefa="boss"),
        r"en|de|a",
        r"me (?:gustan?|encantan?) .+",
        r"quiero .+",
    ),
    "fr": Words(
        "La dernière fois, tu m'as dit que {x}.",
        "La dernière fois, tu m'as parlé de {x}.",
        ((r"\bmes\b", "tes"), (r"\bma\b", "ta"), (r"\bmon\b", "ton"), (r"\bj'aime\b", "tu aimes"),
         (r"\bje veux\b", "tu veux")),
        r"ma|mon|mes",
        {"sœur": "sister", "frère": "brother", "mère": "mother", "père": "father",
         "fille": "daughter", "fils": "son", "amie": "friend", "ami": "friend",
         "copine": "girlfriend", "copain": "boyfriend", "grand-mère": "grandmother",
         "grand-père": "grandfather", "cousine": "cousin", "cousin": "cousin",
         "femme": "wife", "mari": "husband", "chien": "dog", "chat": "cat"},
        r"à|en|de|au",
        r"j'(?:aime|adore) .+",
        r"je veux .+",
    ),
    "it": Words(
        "L'ultima volta mi hai detto che {x}.",
        "L'ultima volta mi hai parlato di {x}.",
        ((r"\bmia\b", "tua"), (r"\bmio\b", "tuo"), (r"\bmie\b", "tue"), (r"\bmiei\b", "tuoi"),
         (r"\bmi piace\b", "ti piace"), (r"\bvoglio\b", "vuoi")),
        r"mia|mio|mie|miei",
        dict(sorella="sister", fratello="brother", madre="mother", padre="father",
             mamma="mum", figlia="daughter", figlio="son", amica="friend", amico="friend",
             ragazza="girlfriend", ragazzo="boyfriend", nonna="grandmother",
             nonno="grandfather", cugina="cousin", cugino="cousin", moglie="wife",
             marito="husband", cane="dog", gatto="cat"),
        r"a|in|di|da",
        r"mi piace .+",
        r"voglio .+",
    ),
    "pt": Words(
        "Da última vez, você me disse que {x}.",
        "Da última vez, você me falou de {x}.",
        ((r"\bminhas\b", "suas"), (r"\bminha\b", "sua"), (r"\bmeus\b", "seus"),
         (r"\bmeu\b", "seu"), (r"\beu gosto\b", "você gosta"), (r"\bquero\b", "quer")),
        r"minhas?|meus?",
        {"irmã": "sister", "irmão": "brother", "mãe": "mother", "pai": "father",
         "filha": "daughter", "filho": "son", "amiga": "friend", "amigo": "friend",
         "namorada": "girlfriend", "namorado": "boyfriend", "avó": "grandmother",
         "avô": "grandfather", "prima": "cousin", "primo": "cousin", "esposa": "wife",
         "marido": "husband", "cachorro": "dog", "gato": "cat"},
        r"em|no|na|de|para",
        r"(?:eu )?gosto de .+",
        r"(?:eu )?quero .+",
    ),
    "de": Words(
        "Letztes Mal hast du erzählt: {x}.",
        "Letztes Mal hast du mir von {x} erzählt.",
        ((r"\bmein(e|en|em|er)?\b", r"dein\1"), (r"\bMein(e|en|em|er)?\b", r"Dein\1"),
         (r"\bich mag\b", "du magst"), (r"\bich möchte\b", "du möchtest")),
        r"[Mm]ein(?:e|en|em|er)?",
        dict(Schwester="sister", Bruder="brother", Mutter="mother", Vater="father",
             Tochter="daughter", Sohn="son", Freundin="friend", Freund="friend",
             Oma="grandmother", Opa="grandfather", Frau="wife", Mann="husband", Hund="dog",
             Katze="cat"),
        r"in|aus|nach",
        r"ich mag .+",
        r"ich möchte .+",
    ),
    "en": Words(
        "Last time you told me that {x}.",
        "Last time you told me about {x}.",
        ((r"\bmy\b", "your"), (r"\bI like\b", "you like"), (r"\bI love\b", "you love"),
         (r"\bI want\b", "you want"), (r"\bI live\b", "you live")),
        r"[Mm]y",
        dict(sister="sister", brother="brother", mother="mother", father="father", mum="mum",
             mom="mum", dad="dad", daughter="daughter", son="son", friend="friend",
             girlfriend="girlfriend", boyfriend="boyfriend", grandmother="grandmother",
             grandfather="grandfather", cousin="cousin", wife="wife", husband="husband",
             dog="dog", cat="cat"),
        r"in|from|to",
        r"I (?:like|love) .+",
        r"I want .+",
    ),
    "ja": Words("前回、「{x}」と話してくれましたね。", "前回、{x}の話をしてくれましたね。",
                (), r"私の", {}, r"", r".+が好き", r".+たい"),
}  # fmt: skip


class BadMemoryRequest(ValueError):
    """A memory update the real API (given its schema) or the prompt would not fit."""


# -- recall -----------------------------------------------------------------------------


def read_memory(instruction: str) -> list[tuple[str, str]]:
    """The (kind, text) lines of the instruction's memory section, in order."""
    match = _SECTION.search(instruction)
    if match is None:
        return []
    lines = []
    for line in instruction[match.end() :].splitlines()[2:]:
        item = _ITEM.match(line.strip())
        if item is None:
            break
        lines.append((item.group(1), item.group(2).strip()))
    return lines


def recall(lang: str, memory: list[tuple[str, str]]) -> str:
    """One sentence mentioning something remembered, or "" when nothing fits a greeting."""
    words = WORDS.get(lang)
    chosen = next((text for kind, text in memory if kind in _KINDS[:4]), None)
    if words is None or chosen is None:
        return ""
    if quoted := _QUOTE.search(chosen):
        told = quoted.group(1) or quoted.group(2)
        for pattern, replacement in words.swaps:
            told = re.sub(pattern, replacement, told)
        return words.told.format(x=told.strip(" .!?"))
    names = [name for name in _CAPITAL.findall(chosen[1:]) if name]
    thing = " y ".join(names[:2]) if lang == "es" and names else (names[0] if names else "")
    return words.about.format(x=thing or f"«{chosen.rstrip('.')}»")


# -- update -----------------------------------------------------------------------------


def is_update(instruction: str) -> bool:
    return UPDATE_MARK in instruction


def update_reply(body: dict[str, Any], request: str) -> str:
    """The JSON text of the updated memory; BadMemoryRequest for a malformed request."""
    _check(body, request)
    current = request.split("CURRENT MEMORY", 1)[1].split("\n\n", 1)[0]
    kept = [m.groups() for line in current.splitlines() if (m := _ITEM.match(line.strip()))]
    talk = request.split("NEW CONVERSATIONS, OLDEST FIRST", 1)[1]
    match = _LANGUAGE.search(request)
    words = WORDS.get(match.group(1) if match else "", WORDS["en"])
    found = _facts(words, _LEARNER.findall(talk))
    errors = [
        ("error", f'Says "{wrong}"; better: "{right}"')
        for wrong, right, _why in _CORRECTION.findall(talk)[-2:]
    ]
    lines, seen = [], set()
    for kind, text in [*found, *kept, *errors]:
        if text.casefold() not in seen:
            seen.add(text.casefold())
            lines.append({"kind": kind, "text": text})
    return json.dumps({"lines": lines}, ensure_ascii=False)


def _check(body: dict[str, Any], request: str) -> None:
    config = body.get("generationConfig") or {}
    if config.get("responseMimeType") != "application/json":
        raise BadMemoryRequest("The memory update must ask for application/json.")
    schema = config.get("responseSchema") or {}
    lines = (schema.get("properties") or {}).get("lines") or {}
    item = (lines.get("items") or {}).get("properties") or {}
    if str(lines.get("type", "")).upper() != "ARRAY" or not {"kind", "text"} <= set(item):
        raise BadMemoryRequest("responseSchema must be an object with a `lines` array.")
    for heading in ("CURRENT MEMORY", "NEW CONVERSATIONS, OLDEST FIRST"):
        if heading not in request:
            raise BadMemoryRequest(f"The memory update has no {heading} section.")


def _facts(words: Words, said: list[str]) -> list[tuple[str, str]]:
    """What the learner's lines say about them, newest first."""
    facts: list[tuple[str, str]] = []
    for line in reversed(said):
        for clause in re.split(r"[.!?;,]\s*|\s+(?:y|et|e|und|and)\s+", line):
            if fact := _person(words, clause) or _like(words, clause) or _place(words, clause):
                facts.append(fact)
    return facts


def _person(words: Words, clause: str) -> tuple[str, str] | None:
    family = "|".join(re.escape(word) for word in sorted(words.family, key=len, reverse=True))
    if not family:
        return None
    match = re.search(rf"\b(?:{words.mine})\s+({family})\b", clause, re.I)
    if match is None:
        return None
    fragment = _lower_first(clause[match.start() :].strip())[:80]
    gloss = words.family.get(match.group(1)) or words.family.get(match.group(1).lower(), "")
    place = re.search(rf"\b(?:{words.places})\s+{_CAPITAL.pattern}", fragment)
    where = f" in {place.group(1)}" if place and words.places else ""
    return "person", f'{gloss.capitalize() or "Someone close"}{where}: "{fragment}"'


def _place(words: Words, clause: str) -> tuple[str, str] | None:
    if not words.places:
        return None
    match = re.search(rf"\b(?:{words.places})\s+{_CAPITAL.pattern}", clause)
    if match is None:
        return None
    return "place", f'{match.group(1)}: "{_lower_first(clause.strip())[:80]}"'


def _like(words: Words, clause: str) -> tuple[str, str] | None:
    for kind, pattern, label in (
        ("interest", words.likes, "Likes"),
        ("goal", words.wants, "Wants"),
    ):
        if match := re.search(pattern, clause, re.I):
            return kind, f'{label}: "{_lower_first(match.group(0).strip())[:80]}"'
    return None


def _lower_first(text: str) -> str:
    """A sentence's first word as it reads mid-sentence ("Mi hermana" -> "mi hermana"), but
    never English "I"."""
    if re.match(r"I\b", text) or not text[:2].istitle():
        return text
    return text[:1].lower() + text[1:]
