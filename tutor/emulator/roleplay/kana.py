"""Japanese text as kana for espeak-ng, which cannot read kanji (it spells them out slowly).

Uses pykakasi's dictionary; without it the text goes to the voice unchanged.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

log = logging.getLogger(__name__)

_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々]")


@functools.cache
def _converter() -> Any:
    try:
        import pykakasi  # here, not at module top: only Japanese needs it
    except ImportError:
        log.warning("pykakasi is not installed; the Japanese demo voice will read kanji badly")
        return None
    return pykakasi.kakasi()


@functools.lru_cache(maxsize=512)
def kana(text: str) -> str:
    """`text` with every word that holds kanji replaced by its hiragana reading, words
    spaced as the free-talk scripts space them for the voice."""
    if not _KANJI.search(text):
        return text
    converter = _converter()
    if converter is None:
        return text
    words = (i["hira"] if _KANJI.search(i["orig"]) else i["orig"] for i in converter.convert(text))
    return " ".join(word.strip() for word in words if word.strip())
