"""Word-level differences between what was said and the better version."""

from __future__ import annotations

import pytest

from lessons.text.worddiff import Segment, word_diff


def _marked(segments: list[Segment]) -> str:
    return "".join(f"[{s.text}]" if s.changed else s.text for s in segments)


@pytest.mark.parametrize(
    ("said", "better", "said_marked", "better_marked"),
    [
        (
            "Ayer yo voy al cine.",
            "Ayer fui al cine.",
            "Ayer [yo voy] al cine.",
            "Ayer [fui] al cine.",
        ),
        (
            "Yo tengo veinte años",
            "Tengo veinte años",
            "[Yo tengo] veinte años",
            "[Tengo] veinte años",
        ),
        ("la problema", "el problema", "[la] problema", "[el] problema"),
        ("Je suis allé", "Je suis allée", "Je suis [allé]", "Je suis [allée]"),
        ("Hola, qué tal", "Hola. ¿Qué tal?", "Hola[, qué] tal", "Hola[. ¿Qué] tal[?]"),
        ("igual", "igual", "igual", "igual"),
        ("", "hola", "", "[hola]"),
    ],
)
def test_it_marks_only_the_words_that_changed(
    said: str, better: str, said_marked: str, better_marked: str
) -> None:
    old, new = word_diff(said, better)
    assert (_marked(old), _marked(new)) == (said_marked, better_marked)


def test_japanese_is_compared_character_by_character() -> None:
    old, new = word_diff("私は学生です", "私は学生でした", "ja")
    assert (_marked(old), _marked(new)) == ("私は学生で[す]", "私は学生で[した]")


def test_the_segments_put_the_text_back_together() -> None:
    said, better = "  Ayer   yo voy al cine ", "Ayer fui al cine"
    old, new = word_diff(said, better)
    assert "".join(s.text for s in old) == said.rstrip()
    assert "".join(s.text for s in new) == better
