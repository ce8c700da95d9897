"""The demo tutor's memory (tutor/emulator/memory.py): a greeting that mentions what the
instruction says it remembers, and the memory update answered through the real SDK."""

from __future__ import annotations

import json

import pytest
from google.genai import errors, types

from tests.tutor.emulator.conftest import make_client
from tutor.emulator import Emulator
from tutor.emulator import memory as emulated
from tutor.emulator.dialogue import new_state, plan_greeting, text_reply
from tutor.live.memory import update_memory
from tutor.prompts import LearnerBrief, TopicBrief, build_system_instruction
from tutor.prompts.memory import MemoryTranscript, update_request, update_system_instruction

SISTER = ("person", 'Sister in Lyon: "mi hermana vive en Lyon"')
CAFE = TopicBrief(
    title="En el café",
    scenario="Un café en Madrid.",
    tutor_role="camarero",
    learner_goal="Pedir un café.",
    target_phrases=["Quisiera un café", "La cuenta, por favor"],
    opener="¡Buenos días! ¿Qué le pongo?",
)


def instruction(
    *memory: tuple[str, str], language: str = "es", topic: TopicBrief | None = None
) -> str:
    learner = LearnerBrief("Alice", language, "en", "A2", "recast", memory=memory)
    return build_system_instruction(learner=learner, topic=topic)


def greeting(text: str) -> str:
    return plan_greeting(new_state(None, text)).reply


def test_the_instructions_memory_lines_are_read_in_order() -> None:
    text = instruction(SISTER, ("goal", "Wants to travel to Peru"), ("error", 'Says "yo voy"'))
    assert emulated.read_memory(text) == [
        SISTER,
        ("goal", "Wants to travel to Peru"),
        ("error", 'Says "yo voy"'),
    ]
    assert emulated.read_memory(instruction()) == []


def test_free_talk_greets_by_name_then_remembers_then_asks() -> None:
    reply = greeting(instruction(SISTER))
    assert "¡Hola, Alice! La última vez me contaste que tu hermana vive en Lyon." in reply
    assert reply.rstrip().endswith("?")


def test_a_role_play_remembers_before_the_scene_opens() -> None:
    reply = greeting(instruction(SISTER, topic=CAFE))
    assert (
        "La última vez me contaste que tu hermana vive en Lyon. ¡Buenos días! ¿Qué le pongo?"
        in reply
    )


def test_without_memory_the_greeting_remembers_nothing() -> None:
    assert "La última vez" not in greeting(instruction())
    assert "La última vez" not in greeting(instruction(("error", 'Says "yo voy"')))


def test_the_typed_fallback_greets_the_same_way() -> None:
    reply = text_reply(new_state(None, instruction(SISTER)), ["(Alice has just joined.)"])
    assert "tu hermana vive en Lyon" in reply


def test_a_line_the_learner_rewrote_is_remembered_by_its_names() -> None:
    assert (
        greeting(instruction(("person", "My sister lives in Marseille now"))).count(
            "La última vez me hablaste de Marseille."
        )
        == 1
    )


ROUND = [
    ("fr", ("person", 'Sister: "ma sœur habite à Lyon"'), "tu m'as dit que ta sœur habite à Lyon"),
    ("it", ("interest", 'Likes: "mi piace il calcio"'), "mi hai detto che ti piace il calcio"),
    ("pt", ("person", 'Brother: "meu irmão mora no Porto"'), "você me disse que seu irmão"),
    ("de", ("person", 'Sister: "meine Schwester wohnt in Wien"'), "deine Schwester wohnt in Wien"),
    ("en", ("goal", 'Wants: "I want to visit Leeds"'), "you told me that you want to visit Leeds"),
]


@pytest.mark.parametrize(("language", "line", "said"), ROUND)
def test_every_language_turns_the_learners_words_round(
    language: str, line: tuple[str, str], said: str
) -> None:
    assert said in greeting(instruction(line, language=language))


def request(
    said: list[str], current: tuple[tuple[str, str], ...] = (), corrections: tuple = ()
) -> str:
    turns = [("tutor", "¡Hola! ¿Qué tal?")]
    for line in said:
        turns += [("learner", line), ("tutor", "¡Qué bien!")]
    return update_request(
        learner_name="Alice",
        language="es",
        native_language="en",
        lines=current,
        transcripts=[MemoryTranscript("", turns, corrections)],
    )


async def test_the_update_extracts_people_places_likes_and_errors(emulator: Emulator) -> None:
    lines = await update_memory(
        make_client(emulator),
        model="gemini-3.5-flash",
        system_instruction=update_system_instruction(),
        request=request(
            ["Mi hermana vive en Lyon.", "Me gusta el fútbol.", "Ayer yo voy al cine."],
            current=(("goal", "Wants to travel to Peru"),),
            corrections=(("Ayer yo voy al cine", "Ayer fui al cine", "Past tense"),),
        ),
    )
    assert SISTER in lines
    assert ("interest", 'Likes: "me gusta el fútbol"') in lines
    assert ("goal", "Wants to travel to Peru") in lines  # the current memory is kept
    assert ("error", 'Says "Ayer yo voy al cine"; better: "Ayer fui al cine"') in lines


async def test_the_update_with_nothing_new_keeps_the_memory(emulator: Emulator) -> None:
    lines = await update_memory(
        make_client(emulator),
        model="gemini-3.5-flash",
        system_instruction=update_system_instruction(),
        request=request(["Sí.", "No sé."], current=(SISTER,)),
    )
    assert lines == [SISTER]


async def _raw(emu: Emulator, config: types.GenerateContentConfig, text: str) -> str:
    reply = await make_client(emu).aio.models.generate_content(
        model="gemini-3.5-flash", contents=[text], config=config
    )
    return reply.text or ""


@pytest.mark.parametrize(
    ("config", "text", "message"),
    [
        ({}, None, "application/json"),
        ({"response_mime_type": "application/json"}, None, "lines"),
        (
            {
                "response_mime_type": "application/json",
                "response_schema": {"type": "OBJECT", "properties": {"lines": {"type": "STRING"}}},
            },
            None,
            "lines",
        ),
        (
            {
                "response_mime_type": "application/json",
                "response_schema": {
                    "type": "OBJECT",
                    "properties": {
                        "lines": {
                            "type": "ARRAY",
                            "items": {
                                "type": "OBJECT",
                                "properties": {
                                    "kind": {"type": "STRING"},
                                    "text": {"type": "STRING"},
                                },
                            },
                        }
                    },
                },
            },
            "Remember this, please.",
            "CURRENT MEMORY",
        ),
    ],
)
async def test_a_malformed_update_is_refused_as_the_real_api_would(
    emulator: Emulator, config: dict, text: str | None, message: str
) -> None:
    full = types.GenerateContentConfig(system_instruction=update_system_instruction(), **config)
    with pytest.raises(errors.ClientError) as caught:
        await _raw(emulator, full, text or request(["Mi hermana vive en Lyon."]))
    assert caught.value.code == 400 and message in str(caught.value)


async def test_a_well_formed_update_answers_json_in_the_schemas_shape(emulator: Emulator) -> None:
    from tutor.live import memory as bridge

    config = types.GenerateContentConfig(
        system_instruction=update_system_instruction(),
        response_mime_type="application/json",
        response_schema=bridge._SCHEMA,
    )
    document = json.loads(await _raw(emulator, config, request(["Vivo en Madrid."])))
    assert document == {"lines": [{"kind": "place", "text": 'Madrid: "vivo en Madrid"'}]}


def test_the_scripted_learner_lines_of_the_spoken_demo_are_remembered_too() -> None:
    """The demo "hears" its script's lines; what they say is remembered like typed lines."""
    from tutor.emulator.scripts import load

    said = [step.learner for step in load("es").bands["A"].steps]
    facts = emulated._facts(emulated.WORDS["es"], said)
    assert ("interest", 'Likes: "me gusta la música pop"') in facts
    english = emulated._facts(emulated.WORDS["en"], ["I like cooking."])
    assert english == [("interest", 'Likes: "I like cooking"')]
    assert "you like cooking" in greeting(instruction(english[0], language="en"))
