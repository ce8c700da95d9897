"""What the speaking drills ask Gemini (tutor/prompts/drills.py, text/drills/)."""

from __future__ import annotations

from tutor.prompts.drills import (
    DrillCard,
    judge_request,
    judge_system_instruction,
    speech_request,
)


def test_the_judge_gets_the_card_its_answer_and_the_language() -> None:
    card = DrillCard("es", "Say it better:", "Ayer yo voy al cine", "Ayer fui al cine")
    assert judge_request(card) == (
        "Target language: es (Spanish)\n"
        "The card showed: «Ayer yo voy al cine» (Say it better)\n"
        "Expected answer: «Ayer fui al cine»\n"
        "Transcribe the recording."
    )


def test_the_judge_is_told_to_write_only_what_it_heard_as_json() -> None:
    text = judge_system_instruction()
    assert "never write words you did not hear" in text
    assert '{"transcript": "..."}' in text


def test_a_guillemet_in_a_card_cannot_end_its_quotation_early() -> None:
    card = DrillCard(
        "fr", "Say it in French:", "«\u00a0bonjour\u00a0»", "Il a dit «\u00a0salut\u00a0»"
    )
    request = judge_request(card)
    assert request.count("«") == request.count("»") == 2
    assert 'Expected answer: «Il a dit " salut "»' in request


def test_the_model_answer_is_read_in_the_cards_language() -> None:
    assert speech_request("la cuenta,\n por favor", "es") == (
        "Target language: es\n"
        "Read this aloud in Spanish, clearly and at a learner's pace: «la cuenta, por favor»"
    )
