"""The demo tutor's spoken placement (tutor/emulator/placement/) and the text endpoint's
placement assessment (tutor/emulator/placement_assess.py), from the prompts Tertulia sends."""

from __future__ import annotations

import json

import pytest
from google.genai import errors, types

from tests.tutor.emulator.conftest import make_client
from tutor.emulator import Emulator
from tutor.emulator.dialogue import new_state, plan_greeting, plan_spoken, plan_typed
from tutor.emulator.placement import LEVELS, MAX_ANSWERS, load
from tutor.emulator.roleplay import lines_for
from tutor.live.placement import ASSESSMENT_SCHEMA
from tutor.prompts import (
    LANGUAGES,
    LearnerBrief,
    assessment_instruction,
    assessment_request,
    placement_instruction,
)

MODEL = "gemini-3.5-flash"


def _state(lang: str, level: str = "A2"):  # type: ignore[no-untyped-def]
    brief = LearnerBrief("Alice", lang, "en" if lang != "en" else "es", level, "recast")
    return new_state(None, placement_instruction(brief))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_spoken_demo_placement_probes_up_with_follow_ups_and_stops_at_the_ceiling(
    lang: str,
) -> None:
    script = load(lang)
    state = _state(lang)
    assert state.lang == lang and state.scene is None and state.probe is not None
    greeting = plan_greeting(state).reply
    assert greeting.startswith(lines_for(lang).notice)
    assert greeting.endswith(script.probes["A2"].question)
    replies = []
    for _ in range(6):
        plan = plan_spoken(state)
        assert plan.correction is None and plan.phrase is None  # a placement never corrects
        replies.append(plan.reply)
    # A2 question, its follow-up, B1 question, its follow-up, B2 (the demo learner falters),
    # and the level is found: B1 held, B2 did not.
    assert replies[0].endswith(script.probes["A2"].followup)
    assert replies[1].endswith(script.probes["B1"].question)
    assert replies[2].endswith(script.probes["B1"].followup)
    assert replies[3].endswith(script.probes["B2"].question)
    assert replies[4] == script.closing
    assert replies[5] == script.over
    assert state.probe.passed == {1, 2} and state.probe.failed == {3}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_guessing_cannot_lift_the_level_a_follow_up_must_hold_up_too(lang: str) -> None:
    """A good first answer at C1 earns a follow-up, not the level; a one-word answer to it
    sends the tutor down, and short guesses all the way down close at A1."""
    script = load(lang)
    state = _state(lang, "C1")
    plan_greeting(state)
    good = script.probes["C2"].question  # long enough for C1 wherever it comes from
    assert plan_typed(state, good + " " + good).reply.endswith(script.probes["C1"].followup)
    reply = plan_typed(state, "Sí").reply
    assert reply == f"{script.easier} {script.probes['B2'].question}"
    assert 4 not in state.probe.passed
    while not state.probe.done:
        plan_typed(state, "Sí")
    assert state.probe.passed == set() and 0 in state.probe.failed
    assert state.probe.answers <= MAX_ANSWERS


async def test_the_typed_fallback_plays_the_placement_too(emulator: Emulator) -> None:
    instruction = placement_instruction(LearnerBrief("Alice", "fr", "en", "A1", "recast"))
    contents = [
        types.Content(role="user", parts=[types.Part(text="(Alice has just joined.)")]),
        types.Content(role="model", parts=[types.Part(text="Bonjour !")]),
        types.Content(
            role="user", parts=[types.Part(text="Je m'appelle Alice, j'habite à Paris.")]
        ),
    ]
    reply = await make_client(emulator).aio.models.generate_content(
        model=MODEL,
        contents=contents,
        config=types.GenerateContentConfig(system_instruction=instruction),
    )
    assert reply.text == f"{load('fr').ack} {load('fr').probes['A1'].followup}"
    assert not reply.function_calls


def _assess_config(**overrides: object) -> types.GenerateContentConfig:
    values: dict[str, object] = {
        "system_instruction": assessment_instruction("es"),
        "response_mime_type": "application/json",
        "response_schema": ASSESSMENT_SCHEMA,
    }
    return types.GenerateContentConfig(**(values | overrides))  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_assessment_quotes_real_learner_turns_and_rises_with_longer_answers(
    emulator: Emulator, lang: str
) -> None:
    script = load(lang)
    short = [script.probes["A1"].answer, script.probes["A1"].followup_answer]
    long = [p.answer for p in script.probes.values()][:3] + [
        p.followup_answer for p in script.probes.values()
    ][:3]
    levels = []
    for answers in (short, long):
        turns = [(0, "tutor", script.intro)]
        for answer in answers:
            turns += [(len(turns), "learner", answer), (len(turns) + 1, "tutor", script.ack)]
        request = assessment_request(language=lang, level="A2", turns=turns)
        reply = await make_client(emulator).aio.models.generate_content(
            model=MODEL, contents=request, config=_assess_config()
        )
        data = json.loads(reply.text or "")
        learner = {n: text for n, who, text in turns if who == "learner"}
        assert [s["skill"] for s in data["skills"]] == [
            "range",
            "accuracy",
            "fluency",
            "interaction",
        ]
        for skill in data["skills"]:
            assert skill["level"] in LEVELS and skill["rationale"]
            for quote in skill["quotes"]:
                assert quote["quote"] in learner[quote["turn"]]
        levels.append(LEVELS.index(data["suggested_level"]))
    assert levels[0] < levels[1]


@pytest.mark.parametrize(
    ("overrides", "contents", "problem"),
    [
        # Every schema request is checked first, with the real API's wording (strict.py).
        ({"response_mime_type": None}, "[1] Learner: Hola", "response_mime_type"),
        ({"response_schema": None}, "[1] Learner: Hola", "responseSchema"),
        ({}, "[0] Tutor: ¿Qué tal?", "no learner turn"),
        ({}, "[1] Learner: Hola\n[1] Tutor: Hola", "twice"),
    ],
)
async def test_a_malformed_assessment_request_is_refused(
    emulator: Emulator, overrides: dict[str, object], contents: str, problem: str
) -> None:
    with pytest.raises(errors.ClientError) as refused:
        await make_client(emulator).aio.models.generate_content(
            model=MODEL, contents=contents, config=_assess_config(**overrides)
        )
    assert refused.value.code == 400
    assert problem in str(refused.value)
