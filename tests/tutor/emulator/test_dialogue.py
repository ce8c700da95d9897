"""Conversation state and what the demo tutor says next (tutor/emulator/dialogue.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.emulator.dialogue import (
    detect_band,
    detect_language,
    detect_topic,
    new_state,
    plan_greeting,
    plan_spoken,
    plan_typed,
    text_reply,
)
from tutor.emulator.scripts import load
from tutor.prompts import LANGUAGES as PROMPT_LANGUAGES
from tutor.prompts import LearnerBrief, build_system_instruction

GOLDEN = Path(__file__).parents[1] / "golden"


@pytest.mark.parametrize(
    ("code", "instruction", "lang"),
    [
        # languageCode never decides: native-audio models ignore it (docs/gemini-live.md §6).
        ("fr-FR", "You are a Spanish tutor.", "es"),
        ("es-ES", "Just chat.", "en"),
        ("de-DE", "You are a French tutor for a German speaker. Speak only Italian.", "it"),
        (
            "",
            "You are a warm, patient German conversation tutor. Their native language is English.",
            "de",
        ),
        (None, "You are an English tutor. Their native language is Italian.", "en"),
        (None, "The learner's native language is English. Help them practise Portuguese.", "pt"),
        (None, "Target language: ja", "ja"),
        (None, "Just chat.", "en"),
    ],
)
def test_it_finds_the_target_language(code: str | None, instruction: str, lang: str) -> None:
    assert detect_language(code, instruction) == lang


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.txt")), ids=lambda p: p.stem)
def test_every_golden_prompt_names_its_language_over_a_contrary_code(golden: Path) -> None:
    """The project's prompts must steer the language themselves: the code says French."""
    assert new_state("fr-FR", golden.read_text()).lang == "es"


def test_it_reads_the_project_prompt() -> None:
    state = new_state(None, (GOLDEN / "B2.txt").read_text())
    assert (state.lang, state.band, state.topic) == ("es", "B", "Ordering at a café")


def test_level_and_topic_have_defaults() -> None:
    assert detect_band("no level here") == "A"
    assert detect_band("CEFR C1") == "C"
    assert detect_topic("Topic: Travel plans.") == "Travel plans"
    assert detect_topic("free conversation") is None


def test_the_greeting_names_the_topic_before_its_question() -> None:
    state = new_state(
        "es-ES", 'Spanish tutor, level A1. This is a role-play on the topic "El mercado".'
    )
    plan = plan_greeting(state)
    assert plan.reply.endswith("Hoy hablamos de: El mercado. ¿Cómo estás hoy?")
    assert state.greeted and plan.heard is None and plan.correction is None


def test_free_talk_walks_the_script_once_then_wraps_up_without_looping() -> None:
    state = new_state("es-ES", "Spanish tutor, A1")
    plan_greeting(state)
    steps = load("es").bands["A"].steps
    plans = [plan_spoken(state) for _ in range(len(steps) + 3)]
    assert [p.heard for p in plans[: len(steps)]] == [s.learner for s in steps]
    assert plans[len(steps) - 1].reply.endswith("¿Quieres probar otro tema?")
    after = plans[len(steps) :]
    assert {p.reply for p in after} == {"La demostración ya terminó. Elige otro tema, por favor."}
    assert all(p.heard and p.correction is None for p in after)
    assert not any(step.learner == p.heard for p in after for step in steps)


def test_typed_text_with_a_later_steps_error_jumps_to_that_step() -> None:
    state = new_state("es-ES", "Spanish tutor, A1")
    plan = plan_typed(state, "Me encanta escuchar a la música.")
    assert plan.correction == {
        "original": "Me encanta escuchar a la música.",
        "corrected": "Me encanta escuchar música.",
        "explanation": load("es").bands["A"].steps[1].explanation,
        "kind": "grammar",
    }
    assert plan_spoken(state).heard == load("es").bands["A"].steps[2].learner


def test_a_snapshot_is_independent_of_later_turns() -> None:
    state = new_state("de-DE", "German tutor, B1")
    saved = state.snapshot()
    plan_greeting(state)
    plan_spoken(state)
    assert (saved.step, saved.greeted, saved.history) == (0, False, [])


def test_the_text_reply_recasts_the_last_message_only() -> None:
    state = new_state(None, "German conversation tutor, CEFR A2")
    reply = text_reply(state, ["(joined)", "Ich komme von Spanien.", "Das ist alles."])
    assert reply == load("de").followups[0]
    state = new_state(None, "German conversation tutor, CEFR A2")
    reply = text_reply(state, ["(joined)", "Ich komme von Spanien."])
    assert reply.startswith("Kleiner Tipp: Man sagt „Ich komme aus Spanien“. ")


@pytest.mark.parametrize("target", sorted(PROMPT_LANGUAGES))
@pytest.mark.parametrize("level", ["A1", "C2"])
def test_the_built_instruction_decides_the_language_for_every_target(
    target: str, level: str
) -> None:
    """Every language we teach, from a learner whose native language is another one we teach,
    with a languageCode naming that native language: the instruction must still win."""
    native = "en" if target != "en" else "es"
    learner = LearnerBrief("Alice", target, native, level, "explain")
    instruction = build_system_instruction(learner=learner, topic=None)
    assert detect_language(PROMPT_LANGUAGES[native].speech_code, instruction) == target
