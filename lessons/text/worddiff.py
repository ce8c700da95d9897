"""Word-level differences between what the learner said and the better version."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

# A token is a word or one punctuation mark, with the whitespace before it.
_TOKEN = re.compile(r"\s*(?:\w+|[^\w\s])")


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool


def _tokens(text: str, language: str) -> list[str]:
    # Japanese is written without spaces: compare characters instead of "words".
    return list(text) if language == "ja" else _TOKEN.findall(text)


def _segments(tokens: list[str], spans: list[tuple[bool, int, int]]) -> list[Segment]:
    segments: list[Segment] = []
    for changed, start, end in spans:
        text = "".join(tokens[start:end])
        if changed:
            # Keep the space before a changed run outside the highlight.
            stripped = text.lstrip()
            if len(stripped) < len(text):
                segments.append(Segment(text[: len(text) - len(stripped)], False))
            text = stripped
        if text:
            segments.append(Segment(text, changed))
    return segments


def word_diff(
    original: str, corrected: str, language: str = ""
) -> tuple[list[Segment], list[Segment]]:
    """(segments of `original` with removed words changed, segments of `corrected` with added
    words changed). Words compare exactly: a change of case or accent is a change."""
    old, new = _tokens(original, language), _tokens(corrected, language)
    matcher = SequenceMatcher(None, [t.strip() for t in old], [t.strip() for t in new])
    old_spans, new_spans = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_spans.append((op != "equal", i1, i2))
        new_spans.append((op != "equal", j1, j2))
    return _segments(old, old_spans), _segments(new, new_spans)
