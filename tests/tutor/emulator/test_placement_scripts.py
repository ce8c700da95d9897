"""The placement scripts (tutor/emulator/placement/<lang>.py), one per target language."""

from __future__ import annotations

import re

import pytest

from tutor.emulator.placement import LEVELS, holds_up, load
from tutor.emulator.scripts import LANGUAGES as FREE_TALK_LANGUAGES
from tutor.prompts import LANGUAGES

pytestmark = pytest.mark.data

QUESTION = re.compile(r"[?？]$|か。$")
ASKS = re.compile(r"[?？]|か。")  # a question, perhaps followed by what the answer should do


def test_every_language_the_tutor_teaches_has_a_placement_script() -> None:
    assert set(LANGUAGES) == set(FREE_TALK_LANGUAGES)
    for lang in LANGUAGES:
        assert load(lang).lang == lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_level_has_a_question_and_a_follow_up(lang: str) -> None:
    script = load(lang)
    assert tuple(script.probes) == LEVELS
    for probe in script.probes.values():
        assert ASKS.search(probe.question), probe.question
        assert QUESTION.search(probe.followup), probe.followup
        assert probe.followup != probe.question
    questions = [p.question for p in script.probes.values()]
    assert len(set(questions)) == len(questions)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_demo_learner_copes_up_to_b1_and_falters_from_b2(lang: str) -> None:
    """So a spoken demo placement ends between B1 and B2, whatever level it starts at."""
    for level, probe in load(lang).probes.items():
        copes = LEVELS.index(level) <= LEVELS.index("B1")
        assert holds_up(probe.answer, level, lang) is copes, (level, probe.answer)
        assert holds_up(probe.followup_answer, level, lang) is copes, (level, probe.followup_answer)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_closing_says_it_is_over_and_neither_line_is_a_question(lang: str) -> None:
    script = load(lang)
    for line in (script.closing, script.over):
        assert not QUESTION.search(line)
    assert script.closing != script.over
    assert script.intro and script.ack and script.easier
