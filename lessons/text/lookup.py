"""Which words may be looked up, and the form a looked-up word is kept under.

The page segments captions itself (`Intl.Segmenter` with word granularity, which splits
Japanese by dictionary, since it has no spaces); the server checks what arrives, so a request
cannot pass a sentence off as a word and cost a long model call:

- one word: letters, marks and digits, with apostrophes, hyphens and middle dots only inside
  it ("l'addition", "peut-être"), at most `MAX_WORD_CHARS` characters, no spaces;
- in Japanese (and Chinese) at most `MAX_CJK_CHARS` characters and at most three script runs
  (kanji, hiragana, katakana): "食べ", "勉強します" and "コーヒー" are words, "今日は天気がいいです"
  is a sentence;
- when the line it came from is given, the word must be in it.
"""

from __future__ import annotations

import unicodedata
from itertools import pairwise

MAX_WORD_CHARS = 40
MAX_CJK_CHARS = 12
MAX_SCRIPT_RUNS = 3
MAX_SENTENCE_CHARS = 1000
_JOINERS = frozenset("'’-‐·")
_SPACELESS = frozenset({"ja", "zh"})


def _letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def _script(char: str) -> str:
    """Hiragana, katakana (with the long-vowel mark), kanji (with 々), or other."""
    if "\u3041" <= char <= "\u309f":
        return "hiragana"
    if "\u30a0" <= char <= "\u30ff" or "\uff66" <= char <= "\uff9f":
        return "katakana"
    if "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or char == "々":
        return "kanji"
    return "other"


def clean_word(word: str, language: str, sentence: str = "") -> str | None:
    """The word as it will be explained (NFC, surrounding punctuation removed), or None when it
    is not one word of `language` (in `sentence`, when given)."""
    text = unicodedata.normalize("NFC", str(word)).strip()
    while text and not _letter(text[0]):
        text = text[1:]
    while text and not _letter(text[-1]):
        text = text[:-1]
    if not text or len(text) > MAX_WORD_CHARS:
        return None
    if any(not (_letter(c) or c in _JOINERS) for c in text):
        return None  # a space, punctuation inside, a control character: not one word
    if not any(unicodedata.category(c)[0] == "L" for c in text):
        return None  # a number alone needs no explaining
    if language in _SPACELESS and not _one_cjk_word(text):
        return None
    if sentence and text.casefold() not in unicodedata.normalize("NFC", sentence).casefold():
        return None
    return text


def _one_cjk_word(text: str) -> bool:
    if len(text) > MAX_CJK_CHARS:
        return False
    scripts = [_script(c) for c in text]
    runs = 1 + sum(1 for a, b in pairwise(scripts) if a != b)
    return runs <= MAX_SCRIPT_RUNS


def cache_key(word: str) -> str:
    """The form an explanation is kept under: NFC and casefolded ("Cansado" = "cansado")."""
    return unicodedata.normalize("NFC", word).casefold()


def clean_sentence(sentence: str) -> str:
    """The line the word came from, as context for the model: one line, bounded, without
    control characters or lone surrogates (which no request can carry)."""
    kept = "".join(
        c for c in str(sentence) if c.isspace() or unicodedata.category(c) not in ("Cc", "Cs")
    )
    return " ".join(kept.split())[:MAX_SENTENCE_CHARS]
