"""The hint call (tutor/live/hints.py) against the emulator through the real SDK, and the
parsing of what a model may send back."""

from __future__ import annotations

import json

import pytest

from tests.tutor.emulator.conftest import make_client
from tutor.emulator import Emulator
from tutor.emulator.hints import GLOSSES
from tutor.live.hints import BadHints, Suggestion, parse_suggestions, suggest_replies
from tutor.live.text_reply import TutorUnavailable
from tutor.prompts import LearnerBrief, TopicBrief
from tutor.prompts.hints import HintBrief, hint_request, hint_system_instruction

MODEL = "gemini-3.5-flash"
LEARNER = LearnerBrief("Ana", "es", "en", "A2", "recast")
CAFE = TopicBrief(
    title="En el café",
    scenario="Un café en Madrid.",
    tutor_role="el camarero",
    learner_goal="Pedir un café y pagar.",
    target_phrases=["Quisiera un café con leche.", "¿Cuánto cuesta?", "La cuenta, por favor."],
)


async def ask(emulator: Emulator, brief: HintBrief) -> list[Suggestion]:
    return await suggest_replies(
        make_client(emulator),
        model=MODEL,
        system_instruction=hint_system_instruction(brief),
        request=hint_request(brief),
    )


async def test_a_role_play_suggests_the_scenes_next_phrases_with_glosses(
    emulator: Emulator,
) -> None:
    history = [("tutor", "¡Hola! ¿Qué le pongo?"), ("learner", "Quisiera un café con leche.")]
    found = await ask(emulator, HintBrief(LEARNER, CAFE, history))
    assert [s.text for s in found] == ["¿Cuánto cuesta?", "La cuenta, por favor.", "Gracias."]
    assert found[0].gloss == "Asking how much it costs"
    assert found[2].gloss == "Saying thank you"


async def test_free_talk_suggests_the_scripts_next_line_put_right(emulator: Emulator) -> None:
    found = await ask(emulator, HintBrief(LEARNER, None, [("tutor", "¡Hola! ¿Cómo estás hoy?")]))
    # The script's learner says "Yo soy cansado"; the hint is the corrected line.
    assert found[0].text == "Yo estoy cansado hoy, trabajé mucho."
    assert found[0].gloss.endswith("(estar cansado: to be tired)")
    assert len(found) == 3


async def test_glosses_are_in_the_learners_language(emulator: Emulator) -> None:
    learner = LearnerBrief("Tom", "en", "es", "A2", "recast")
    found = await ask(emulator, HintBrief(learner, None, [("tutor", "Hi! How are you today?")]))
    assert all(s.text.isascii() for s in found)
    # No translator in the emulator: the gloss says, in Spanish, what kind of line it is.
    assert [s.gloss in GLOSSES["es"].values() for s in found] == [True, True, True]


async def test_a_refused_request_is_unavailable_with_a_safe_message(emulator: Emulator) -> None:
    client = make_client(emulator, api_key="invalid-key")
    brief = HintBrief(LEARNER, CAFE, [])
    with pytest.raises(TutorUnavailable) as caught:
        await suggest_replies(
            client,
            model=MODEL,
            system_instruction=hint_system_instruction(brief),
            request=hint_request(brief),
        )
    assert "invalid-key" not in str(caught.value)


def test_parsing_keeps_two_or_three_distinct_suggestions() -> None:
    raw = json.dumps(
        {
            "suggestions": [
                {"text": " La cuenta,  por favor. ", "gloss": "The bill, please."},
                {"text": "la cuenta, por favor.", "gloss": "again"},
                {"text": "¿Cuánto es?", "gloss": "How much is it?"},
                {"text": "", "gloss": "empty"},
                {"text": "Gracias.", "gloss": "Thanks."},
                {"text": "Adiós.", "gloss": "Bye."},
            ]
        }
    )
    assert parse_suggestions(raw) == [
        Suggestion("La cuenta, por favor.", "The bill, please."),
        Suggestion("¿Cuánto es?", "How much is it?"),
        Suggestion("Gracias.", "Thanks."),
    ]


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("Sure! Here are some ideas", "not JSON"),
        ('["a", "b"]', 'no "suggestions" list'),
        ('{"suggestions": ["a", "b"]}', "not an object with a text"),
        ('{"suggestions": [{"text": "Hola"}]}', "1 usable suggestion(s)"),
    ],
)
def test_bad_model_output_is_a_clear_error(raw: str, why: str) -> None:
    with pytest.raises(BadHints, match=why.replace("(", r"\(").replace(")", r"\)")):
        parse_suggestions(raw)
