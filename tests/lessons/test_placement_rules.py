"""What a placement assessment must be before it is kept (lessons/placement_rules.py)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from lessons.placement_rules import InvalidAssessment, parse_assessment

TURNS = {1: "Me llamo Ana y vivo en Londres.", 3: "Los sábados voy al mercado con mi hermana."}


def good() -> dict[str, Any]:
    return {
        "skills": [
            {
                "skill": name,
                "level": level,
                "rationale": f"Rationale for {name}.",
                "quotes": [{"turn": 3, "quote": "voy al mercado"}],
            }
            for name, level in [
                ("range", "A2"),
                ("accuracy", "A2"),
                ("fluency", "B1"),
                ("interaction", "A2"),
            ]
        ],
        "suggested_level": "A2",
        "summary": "A solid A2.",
    }


def test_a_good_assessment_is_kept_in_skill_order() -> None:
    data = good()
    data["skills"].reverse()
    result = parse_assessment(data, TURNS)
    assert [s.skill for s in result.skills] == ["range", "accuracy", "fluency", "interaction"]
    assert [s.level for s in result.skills] == ["A2", "A2", "B1", "A2"]
    assert result.suggested_level == "A2" and result.summary == "A solid A2."
    assert result.skills[0].quotes[0].turn == 3 and result.dropped_quotes == 0


@pytest.mark.parametrize(
    "quote",
    [
        {"turn": 2, "quote": "voy al mercado"},  # no such turn (or the tutor's)
        {"turn": 0, "quote": "Hola"},  # not a learner turn
        {"turn": 1, "quote": "voy al mercado"},  # a real turn, but not what it says
        {"turn": 3, "quote": "Los domingos voy al cine"},  # never said
        {"turn": "3", "quote": "voy al mercado"},  # a number as text
        {"turn": True, "quote": "voy al mercado"},
        {"turn": 3, "quote": "  "},
        "voy al mercado",
    ],
)
def test_a_fabricated_quote_is_dropped_and_the_rest_stands(quote: Any) -> None:
    data = good()
    data["skills"][0]["quotes"].append(quote)
    result = parse_assessment(data, TURNS)
    assert [q.turn for q in result.skills[0].quotes] == [3]
    assert result.dropped_quotes == 1


def test_quotes_match_whatever_the_case_punctuation_and_spacing() -> None:
    data = good()
    data["skills"][1]["quotes"] = [{"turn": 1, "quote": "me llamo  ANA, y vivo"}]
    assert parse_assessment(data, TURNS).skills[1].quotes[0].text == "me llamo ANA, y vivo"


@pytest.mark.parametrize("level", ["D1", "", None, 3, "B3", "b1x"])
def test_a_level_outside_a1_c2_refuses_the_whole_assessment(level: Any) -> None:
    data = good()
    data["skills"][2]["level"] = level
    with pytest.raises(InvalidAssessment, match="not a CEFR level"):
        parse_assessment(data, TURNS)
    data = good()
    data["suggested_level"] = level
    with pytest.raises(InvalidAssessment):
        parse_assessment(data, TURNS)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["skills"].pop(), "no estimate for interaction"),
        (lambda d: d["skills"].append(copy.deepcopy(d["skills"][0])), "given twice"),
        (lambda d: d["skills"][0].update(skill="pronunciation"), "unknown skill"),
        (lambda d: d["skills"][0].update(rationale=""), "no rationale"),
        (lambda d: d["skills"][0].update(quotes="turn 3"), "must be a list"),
        (lambda d: d.update(skills={}), "must be a list"),
    ],
)
def test_a_malformed_assessment_is_refused(change: Any, problem: str) -> None:
    data = good()
    change(data)
    with pytest.raises(InvalidAssessment, match=problem):
        parse_assessment(data, TURNS)


def test_not_an_object_is_refused() -> None:
    with pytest.raises(InvalidAssessment):
        parse_assessment(["A2"], TURNS)


def test_the_suggestion_stays_within_the_skills_range() -> None:
    data = good()
    data["suggested_level"] = "C2"  # every skill says A2-B1
    assert parse_assessment(data, TURNS).suggested_level == "B1"
    data["suggested_level"] = "A1"
    assert parse_assessment(data, TURNS).suggested_level == "A2"


def test_lowercase_levels_are_read_and_long_texts_are_cut() -> None:
    data = good()
    data["skills"][0]["level"] = "b1"
    data["skills"][0]["rationale"] = "word " * 1000
    result = parse_assessment(data, TURNS)
    assert result.skills[0].level == "B1" and len(result.skills[0].rationale) == 600
