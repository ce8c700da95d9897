"""What the demo tutor does with a learner line that was correct but plain, and with a request to
hear its last line again, slowly. Per language, like the rest of `roleplay`.

- **Say it better** (`note_upgrade`): a few rewrites a teacher would offer one level up ("quiero"
  becomes "me gustaría", "gracias" grows into "muchas gracias, muy amable"). The dialogue offers
  one for a line that has no error and matches a rule: some correct lines get one, most don't,
  never more than one per line, as the prompt tells a real model.
- **Again, slower**: a short typed line asking to repeat ("más despacio", "again slowly") is not
  an answer; the tutor says its last line again, slower (`TurnPlan.slow`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ruff: noqa: E501  (a table of rules reads best one entry per line)


@dataclass(frozen=True, slots=True)
class Upgrade:
    plain: str  # regex (case-insensitive) for the plain wording
    better: str  # what replaces it
    explanation: str  # in English, the learners' usual native language in the demo


UPGRADES: dict[str, tuple[Upgrade, ...]] = {
    "es": (
        Upgrade(r"\bme gusta mucho\b", "me encanta", "Encantar says 'like a lot' in one word, as a native speaker would."),
        Upgrade(r"\bquiero\b", "me gustaría", "Me gustaría is a more polite way to ask for something than quiero."),
        Upgrade(r"\bmuy bueno\b", "buenísimo", "Buenísimo is the natural way to say 'really good'."),
        Upgrade(r"^(vale, )?gracias\b", r"\1muchas gracias, muy amable", "Muy amable thanks someone warmly, as people do in Spain."),
    ),
    "en": (
        Upgrade(r"\bI want\b", "I'd like", "I'd like is a more polite way to ask for something than I want."),
        Upgrade(r"\bvery good\b", "excellent", "Excellent is a stronger, more precise word than very good."),
        Upgrade(r"^(ok(ay)?, )?thanks\b", r"\1thanks a lot, that's very kind", "Adding that's very kind sounds warmer and more natural."),
    ),
    "fr": (
        Upgrade(r"\bje veux\b", "je voudrais", "Je voudrais is a more polite way to ask for something than je veux."),
        Upgrade(r"\bj'aime beaucoup\b", "j'adore", "J'adore is how French speakers say they really like something."),
        Upgrade(r"^merci\b", "merci beaucoup, c'est très gentil", "C'est très gentil thanks someone warmly."),
    ),
    "de": (
        Upgrade(r"\bich will\b", "ich möchte", "Ich möchte is a more polite way to ask for something than ich will."),
        Upgrade(r"\bsehr gut\b", "ausgezeichnet", "Ausgezeichnet is a stronger, more precise word than sehr gut."),
        Upgrade(r"^danke\b", "vielen Dank, sehr nett", "Vielen Dank, sehr nett thanks someone warmly."),
    ),
    "it": (
        Upgrade(r"\bvoglio\b", "vorrei", "Vorrei is a more polite way to ask for something than voglio."),
        Upgrade(r"\bmolto buono\b", "buonissimo", "Buonissimo is the natural way to say 'really good'."),
        Upgrade(r"^grazie\b", "grazie mille, molto gentile", "Molto gentile thanks someone warmly."),
    ),
    "pt": (
        Upgrade(r"\bquero\b", "queria", "Queria is a more polite way to ask for something than quero."),
        Upgrade(r"\bmuito bom\b", "ótimo", "Ótimo is the natural way to say 'really good'."),
        Upgrade(r"^obrigad([oa])\b", r"muito obrigad\1, é muita gentileza", "É muita gentileza thanks someone warmly."),
    ),
    "ja": (
        Upgrade(r"ありがとう(?!ございます)", "ありがとうございます", "Adding gozaimasu makes thanks polite, as a guest or customer speaks."),
        Upgrade(r"ください", "いただけますか", "Itadakemasu ka asks more politely than kudasai."),
    ),
}  # fmt: skip

# Short typed requests to hear the last line again, slowly ("más despacio", "again slowly").
# English works in every language: learners fall back on it.
_ENGLISH_REPEAT = r"\b(again|repeat|slow(er|ly)?|pardon|say (that|it) again)\b"
REPEATS: dict[str, str] = {
    "es": r"(m[aá]s (despacio|lento|lentamente)|rep[eií]t[eai]r?(lo|me)?|otra vez|de nuevo|c[oó]mo\?)",
    "en": _ENGLISH_REPEAT,
    "fr": r"(plus lentement|r[ée]p[ée]te[zr]?|encore une fois|pardon\s*\?)",
    "de": r"(langsamer|wiederhol|noch ?(ein)?mal|wie bitte)",
    "it": r"(pi[uù] (piano|lentamente|lento)|ripet[ei]|di nuovo|ancora una volta|come\?)",
    "pt": r"(mais devagar|repet[ei]|de novo|outra vez|como\?)",
    "ja": r"(ゆっくり|もう一度|もういちど|もう一回)",
}
_SHORT = 8  # words: a longer line is something to answer, even if it says "otra vez"


def upgrade_for(lang: str, line: str) -> dict[str, str] | None:
    """note_upgrade args for a correct `line`, or None when no rule fits it."""
    for rule in UPGRADES.get(lang, ()):
        match = re.search(rule.plain, line, flags=re.I)
        if match is None:
            continue
        better = line[: match.start()] + _cased(match, rule.better) + line[match.end() :]
        if better != line:
            return {"original": line, "upgraded": better, "explanation": rule.explanation}
    return None


def asks_to_repeat(lang: str, text: str) -> bool:
    """Whether a typed line asks the tutor to say its last line again (slowly)."""
    if len(text.split()) > _SHORT or not text.strip():
        return False
    pattern = f"{REPEATS.get(lang, _ENGLISH_REPEAT)}|{_ENGLISH_REPEAT}"
    return re.search(pattern, text, re.I) is not None


def _cased(match: re.Match[str], better: str) -> str:
    words = match.expand(better)
    if match.group(0)[:1].isupper():
        return words[:1].upper() + words[1:]
    return words
