"""How Tertulia counts a learner's words, in SQL and in Python (the two agree; a test checks).

Words are space-separated tokens, except in Japanese, which has no spaces: there a "word" is a
character, so its words per minute read as characters per minute. Transcripts are single
lines, so splitting on spaces only is enough, and three times faster in SQL than a regular
expression.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, F, Func, IntegerField, Value, When
from django.db.models.functions import Length, Replace
from django.db.models.lookups import Exact


def word_count_sql(language: Any, text: Any = "text") -> Case:
    """Words in `text` (a field name or an expression) as SQL; `language` is the
    conversation's language as an expression."""
    words_of = F(text) if isinstance(text, str) else text
    characters = Length(Replace(words_of, Value(" "), Value("")))
    pieces = Func(words_of, Value(" "), function="string_to_array")
    words = Func(Func(pieces, Value(""), function="array_remove"), function="cardinality")
    return Case(
        When(Exact(language, Value("ja")), then=characters),
        default=words,
        output_field=IntegerField(),
    )


def word_count(text: str, language: str) -> int:
    """The Python twin of `word_count_sql`."""
    if language == "ja":
        return len(text.replace(" ", ""))
    return sum(1 for word in text.split(" ") if word)
