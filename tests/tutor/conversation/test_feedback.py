"""tutor.conversation.feedback: the page draws the server's word diff and target-phrase ticks.

The cases the page's own JavaScript used to get wrong, against the review page's rules."""

from __future__ import annotations

from lessons.text.worddiff import word_diff
from tutor.conversation.feedback import TargetPhrases, correction_diff


def test_a_correction_diff_is_the_review_pages_diff() -> None:
    diff = correction_diff("Quiero un café.", "Quiero un café, por favor.", "es")
    said, better = word_diff("Quiero un café.", "Quiero un café, por favor.", "es")
    assert diff == {
        "said": [[s.text, s.changed] for s in said],
        "better": [[s.text, s.changed] for s in better],
    }
    # Only the added words are marked: "café" and the full stop are the same on both sides.
    assert [text for text, changed in diff["better"] if changed] == [", por favor"]
    assert not any(changed for _, changed in diff["said"])


def test_a_japanese_correction_is_compared_character_by_character() -> None:
    diff = correction_diff("私は学生です", "私は学生でした", "ja")
    assert "".join(text for text, _ in diff["said"]) == "私は学生です"
    assert [text for text, changed in diff["better"] if changed] == ["した"]


def test_target_phrases_are_found_inside_unspaced_and_inflected_lines() -> None:
    targets = TargetPhrases(["お願いします", "reservar una mesa", "la cuenta"])
    assert targets.heard("すみません、注文をお願いします") is True
    assert targets.heard("Quiero reservé una mesa") is True
    assert targets.used == {0, 1}
    assert targets.event() == {"type": "targets", "used": [0, 1]}


def test_a_phrase_is_reported_once_and_never_taken_back() -> None:
    targets = TargetPhrases(["la cuenta"], said=["¿Me trae la cuenta?"])
    assert targets.used == {0}
    assert targets.heard("La cuenta, por favor") is False  # nothing new
    assert targets.heard("Hola") is False
    assert targets.used == {0}


def test_no_target_phrases_means_nothing_to_tick() -> None:
    targets = TargetPhrases([])
    assert targets.heard("Estoy cansado") is False
    assert targets.event()["used"] == []
