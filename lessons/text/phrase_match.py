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
   ("la cuenta" ~ "las cuentas"); a window is only compared when at least half as many of its
   words as the phrase has begin with the same two letters as a word of the phrase.
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
from collections import Counter
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
    """Matches one target phrase against many turns. Not thread-safe: one per request."""

    def __init__(self, phrase: str) -> None:
        self.phrase = phrase
        normalised = normalise(phrase)
        self.unspaced = is_unspaced(normalised)
        self.tokens = normalised.split()
        self.joined = normalised.replace(" ", "") if self.unspaced else normalised
        # difflib indexes its second sequence; indexing the phrase once, not every window,
        # is what keeps a class's evidence table fast.
        self._differ = SequenceMatcher(None, autojunk=False)
        self._differ.set_seq2(self.joined)
        self._starts = {token[:2] for token in self.tokens}
        self._letters = Counter(self.joined)

    def matches(self, text: str) -> bool:
        return self.matches_normalised(normalise(text))

    def matches_normalised(self, normalised: str) -> bool:
        """For callers that test many phrases against one turn: normalise the turn once."""
        if not self.tokens:
            return False
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
        return any(self._close(window) for window in windows)

    def _matches_tokens(self, tokens: list[str]) -> bool:
        size = len(self.tokens)
        for start in range(len(tokens) - size + 1):
            window = tokens[start : start + size]
            if all(map(token_matches, self.tokens, window)):
                return True
        windows = (
            tokens[start : start + n]
            for n in _window_sizes(size)
            for start in range(max(1, len(tokens) - n + 1))
        )
        # Compare a window only if at least half of the phrase's words begin (2 letters) like a
        # word in it: cheap, and it skips nearly every window before the costly ratio.
        return any(
            self._close(" ".join(window))
            for window in windows
            if 2 * sum(token[:2] in self._starts for token in window) >= size
        )

    def _close(self, window: str) -> bool:
        # Upper bound from the lengths alone (difflib's real_quick_ratio, without its overhead).
        total = len(window) + len(self.joined)
        if 2 * min(len(window), len(self.joined)) < RATIO * total:
            return False
        # Upper bound from the letters both share, in any order (difflib's quick_ratio).
        if 2 * sum((Counter(window) & self._letters).values()) < RATIO * total:
            return False
        self._differ.set_seq1(window)
        return self._differ.ratio() >= RATIO


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
