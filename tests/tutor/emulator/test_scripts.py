"""The scripted dialogues (tutor/emulator/scripts/)."""

from __future__ import annotations

import re

import pytest

from tutor.emulator.roleplay import lines_for
from tutor.emulator.scripts import BANDS, LANGUAGES, Step, load

# Checks of data files (the topic library, the demo scripts), counted apart from behaviour.
pytestmark = pytest.mark.data

STEPS = [
    pytest.param(lang, band, i, step, id=f"{lang}-{band}{i}")
    for lang in LANGUAGES
    for band in BANDS
    for i, step in enumerate(load(lang).bands[band].steps)
]
KINDS = {"grammar", "vocabulary", "pronunciation", "register"}
DEMO = {
    "es": "demostración",
    "fr": "démonstration",
    "de": "Demo",
    "it": "dimostrativo",
    "pt": "demonstração",
    "ja": "デモ",
    "en": "demo",
}


@pytest.mark.parametrize(("lang", "band", "index", "step"), STEPS)
def test_each_learner_line_carries_its_deliberate_error(
    lang: str, band: str, index: int, step: Step
) -> None:
    corrected = step.corrected(step.learner)
    assert corrected is not None and corrected != step.learner
    assert step.corrected(corrected) is None  # the fix does not match its own error again
    assert step.kind in KINDS and step.explanation


@pytest.mark.parametrize(("lang", "band", "index", "step"), STEPS)
def test_each_reply_but_the_last_ends_with_a_question(
    lang: str, band: str, index: int, step: Step
) -> None:
    """The last step's reply is followed by the wrap-up, which asks its own question."""
    if index < len(load(lang).bands[band].steps) - 1:
        assert re.search(r"[?？]$", step.reply)
    else:
        assert not re.search(r"[?？]$", step.reply)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("band", BANDS)
def test_every_greeting_is_an_opening_question_and_every_notice_admits_the_demo(
    lang: str, band: str
) -> None:
    """The free-talk greeting is the notice (roleplay.lines), a hello, then this question."""
    assert re.search(r"[?？]$", load(lang).bands[band].greeting)
    assert DEMO[lang].casefold() in lines_for(lang).notice.casefold()


def test_japanese_lines_have_kana_for_the_voice() -> None:
    script = load("ja")
    for band in script.bands.values():
        assert band.greeting_say
        for step in band.steps:
            assert step.reply_say and step.learner_say
            assert not re.search(r"[\u4e00-\u9fff]", step.reply_say)  # no kanji
