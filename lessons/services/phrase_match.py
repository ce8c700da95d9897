"""Did the learner say a target phrase? Tolerant matching of a phrase inside one transcript turn.

The rule (documented for teachers on the evidence page as well):

1. Both texts are normalised: Unicode NFKD, combining marks dropped (so "está" = "esta",
   "Straße" = "strasse" after casefolding, half-width katakana = full-width, but kana keep their
   voicing marks: か ≠ が), casefolded, and every run of punctuation, symbols and spaces becomes
   one space ("L'addition, s'il" → "l addition s il").
2. Languages written with spaces (Spanish, French, German, Portuguese, English …): the phrase's
   tokens must appear as a run of consecutive tokens in the turn, where two tokens match when they
   are equal, or when the phrase token has at least 5 letters and both share a prefix of at least
   4 letters that leaves at most 2 letters of the phrase token unmatched ("reservar" ~ "reservé",
   "möchte" ~ "möchten"). Failing that, a window of the turn with the phrase's token count (±1,
   so one dropped or added small word is forgiven) may match with a difflib ratio ≥ 0.85
   ("la cuenta" ~ "las cuentas").
3. Phrases in scripts without spaces (Japanese kana and kanji, Chinese): spaces are removed from
   both texts and the phrase must be a substring of the turn, or a window of its length ±1
   characters must reach the same difflib ratio ("予約したい" ~ "予約をしたい").

Transcripts come from speech recognition, so the rule forgives small inflection and transcription
noise; it can accept a near-homograph ("cuenta" ~ "cuento"). Teachers follow the turn links to
check.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

RATIO = 0.85
MIN_PREFIX = 4
MIN_LEN_FOR_PREFIX = 5
MAX_UNMATCHED_TAIL = 2

_SPACES = re.compile(r"\s+")
# Kana voicing marks are letters' identity (か ≠ が), not accents: keep them and recompose.
_KANA_VOICING = "\u3099\u309a"
# Hiragana, katakana (incl. half-width), CJK ideographs: scripts written without spaces.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    chars = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn" and char not in _KANA_VOICING:
            continue
        # Punctuation, symbols, separators and control characters all split words.
        chars.append(" " if category[0] in "PSZC" else char)
    joined = unicodedata.normalize("NFC", "".join(chars))
    return _SPACES.sub(" ", joined.casefold()).strip()


def is_unspaced(text: str) -> bool:
    return bool(_UNSPACED.search(text))


class PhraseMatcher:
    """Matches one target phrase against many turns (normalises the phrase once)."""

    def __init__(self, phrase: str) -> None:
        self.phrase = phrase
        normalised = normalise(phrase)
        self.unspaced = is_unspaced(normalised)
        self.tokens = normalised.split()
        self.joined = normalised.replace(" ", "") if self.unspaced else normalised

    def matches(self, text: str) -> bool:
        if not self.tokens:
            return False
        normalised = normalise(text)
        if self.unspaced:
            return self._matches_characters(normalised.replace(" ", ""))
        return self._matches_tokens(normalised.split())

    def _matches_characters(self, text: str) -> bool:
        if self.joined in text:
            return True
        windows = (
            text[start : start + n]
            for n in _window_sizes(len(self.joined))
            for start in range(max(1, len(text) - n + 1))
        )
        return any(_close(self.joined, window) for window in windows)

    def _matches_tokens(self, tokens: list[str]) -> bool:
        size = len(self.tokens)
        for start in range(len(tokens) - size + 1):
            window = tokens[start : start + size]
            if all(map(token_matches, self.tokens, window)):
                return True
        windows = (
            " ".join(tokens[start : start + n])
            for n in _window_sizes(size)
            for start in range(max(1, len(tokens) - n + 1))
        )
        return any(_close(self.joined, window) for window in windows)


def token_matches(phrase_token: str, said: str) -> bool:
    if phrase_token == said:
        return True
    if len(phrase_token) < MIN_LEN_FOR_PREFIX:
        return False
    shared = _common_prefix(phrase_token, said)
    return shared >= MIN_PREFIX and len(phrase_token) - shared <= MAX_UNMATCHED_TAIL


def phrase_used(phrase: str, text: str) -> bool:
    return PhraseMatcher(phrase).matches(text)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _window_sizes(size: int) -> tuple[int, ...]:
    """Windows of the phrase's length, one more, and one fewer for phrases of 3 or more."""
    return (size - 1, size, size + 1) if size >= 3 else (size, size + 1)


def _close(target: str, window: str) -> bool:
    matcher = SequenceMatcher(None, target, window, autojunk=False)
    # The two quick bounds are cheap and rule out most windows before the full ratio.
    return (
        matcher.real_quick_ratio() >= RATIO
        and matcher.quick_ratio() >= RATIO
        and matcher.ratio() >= RATIO
    )
