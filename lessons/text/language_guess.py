"""How much of what a learner said was in their native language rather than the target one.

Deliberately small: the review queue only needs "mostly native" or not. Two signals:

- Different scripts (an English speaker learning Japanese, a Russian speaker learning Spanish):
  count words written in the native script against words in the target script.
- Same script (an English speaker learning Spanish): count frequent function words that belong
  to one language and not the other. Content words are ignored; they are too often shared.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from lessons.text.phrase_match import normalise


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Frequent function words, normalised (no accents, casefolded).
STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and is are was were i you he she it we they what this that with have has "
        "not but my your do does did can could would will to of in on for be there how "
        "because so just like yes no me him her them our an at from or if"
    ),
    "es": _words(
        "el la los las un una unos unas y es son esta estan estoy que de del en con por "
        "para pero muy mi tu su yo tu nosotros ellos hay como cuando donde porque si no "
        "al lo le les se me te quiero tengo soy fue tambien"
    ),
    "fr": _words(
        "le la les un une des et est sont je tu il elle nous vous ils elles que qui de du "
        "en avec pour pas mais tres mon ton son ce cette c est j ai suis au aux ou oui non "
        "parce quand comment ne"
    ),
    "de": _words(
        "der die das ein eine einen und ist sind ich du er sie wir ihr nicht mit fur auf "
        "aber sehr mein dein sein was wie wo warum weil dass ja nein auch habe hat bin "
        "den dem des zu im"
    ),
    "it": _words(
        "il lo la gli le un una e sono io tu lui lei noi voi loro che di del della con per "
        "ma molto mio tuo suo come quando dove perche si non anche ho sei questo"
    ),
    "pt": _words(
        "o os as um uma uns umas e sao esta estou eu tu ele ela nos eles elas que de do da "
        "dos das em no na com por para mas muito meu minha seu sua como quando onde porque "
        "sim nao tambem tenho sou"
    ),
    "nl": _words(
        "de het een en is zijn ik jij je hij zij wij niet met voor op maar heel mijn wat "
        "hoe waar waarom omdat dat ja nee ook heb"
    ),
}

# Which script each language is written in (the languages a learner may choose).
SCRIPTS: dict[str, frozenset[str]] = {
    "ja": frozenset({"kana", "han"}),
    "zh": frozenset({"han"}),
    "ko": frozenset({"hangul"}),
    "ru": frozenset({"cyrillic"}),
    "uk": frozenset({"cyrillic"}),
    "ar": frozenset({"arabic"}),
    "hi": frozenset({"devanagari"}),
}
LATIN = frozenset({"latin"})
UNSPACED = frozenset({"kana", "han"})
MIN_EVIDENCE = 4


def native_share(texts: Iterable[str], *, native: str, target: str) -> float | None:
    """Share (0–1) of classified words that are native; None when there is too little to tell."""
    native_scripts, target_scripts = _scripts(native), _scripts(target)
    words = [word for text in texts for word in normalise(text).split()]
    if native_scripts != target_scripts:
        native_hits, target_hits = _count_by_script(words, native_scripts, target_scripts)
    elif native in STOPWORDS and target in STOPWORDS:
        native_hits, target_hits = _count_by_stopwords(words, native, target)
    else:
        return None
    classified = native_hits + target_hits
    return native_hits / classified if classified >= MIN_EVIDENCE else None


def _scripts(language: str) -> frozenset[str]:
    return SCRIPTS.get(language, LATIN)


def _count_by_script(
    words: list[str], native: frozenset[str], target: frozenset[str]
) -> tuple[int, int]:
    native_hits = target_hits = 0
    for word in words:
        script = word_script(word)
        # Kana and kanji come unspaced: a run is a phrase, worth about one word per 2 characters.
        weight = max(1, len(word) // 2) if script in UNSPACED else 1
        # A script both languages use (kanji for Chinese and Japanese speakers) tells nothing.
        if script in native and script not in target:
            native_hits += weight
        elif script in target and script not in native:
            target_hits += weight
    return native_hits, target_hits


def _count_by_stopwords(words: list[str], native: str, target: str) -> tuple[int, int]:
    only_native = STOPWORDS[native] - STOPWORDS[target]
    only_target = STOPWORDS[target] - STOPWORDS[native]
    native_hits = sum(word in only_native for word in words)
    target_hits = sum(word in only_target for word in words)
    return native_hits, target_hits


def word_script(word: str) -> str:
    """The script of a word's first letter: latin, cyrillic, kana, han, hangul, … or other."""
    for char in word:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for prefix, script in _NAME_PREFIXES:
            if name.startswith(prefix):
                return script
        return "other"
    return "other"


_NAME_PREFIXES = (
    ("LATIN", "latin"),
    ("CYRILLIC", "cyrillic"),
    ("HIRAGANA", "kana"),
    ("KATAKANA", "kana"),
    ("CJK", "han"),
    ("HANGUL", "hangul"),
    ("ARABIC", "arabic"),
    ("DEVANAGARI", "devanagari"),
)
