"""Hint requests on the text endpoint (tutor/emulator/hints.py): recognised by their response
schema, answered from the scene or script, and refused as the real API refuses a bad schema."""

from __future__ import annotations

import json
import ssl
from typing import Any

import aiohttp
import pytest
from google.genai import errors, types

from tests.tutor.emulator.conftest import make_client
from tutor.emulator import Emulator
from tutor.emulator.scripts import load
from tutor.prompts import LearnerBrief, TopicBrief
from tutor.prompts.hints import SCHEMA, HintBrief, hint_request, hint_system_instruction

MODEL = "gemini-3.5-flash"
PHARMACY = TopicBrief(
    title="En la farmacia",
    scenario="Una farmacia de Sevilla.",
    tutor_role="Carmen, la farmacéutica",
    learner_goal="Comprar algo para el dolor.",
    target_phrases=[
        "Buenas tardes.",
        "Me duele la cabeza.",
        "¿Tiene algo para el dolor?",
        "¿Cuánto cuesta?",
    ],
)


def json_config(**fields: Any) -> types.GenerateContentConfig:
    values: dict[str, Any] = {
        "response_mime_type": "application/json",
        "response_schema": types.Schema.model_validate(SCHEMA),
    }
    return types.GenerateContentConfig(**{**values, **fields})


async def suggestions(emulator: Emulator, brief: HintBrief, **config: Any) -> list[dict[str, str]]:
    reply = await make_client(emulator).aio.models.generate_content(
        model=MODEL,
        contents=hint_request(brief),
        config=json_config(system_instruction=hint_system_instruction(brief), **config),
    )
    body = json.loads(reply.text or "")
    assert list(body) == ["suggestions"]
    return list(body["suggestions"])


async def test_the_scene_moves_on_with_what_the_learner_said_even_with_an_error(
    emulator: Emulator,
) -> None:
    learner = LearnerBrief("Ana", "es", "en", "A2", "recast")
    history = [
        ("tutor", "Buenas tardes, ¿qué le pasa?"),
        ("learner", "Buenas tardes."),
        ("tutor", "Ajá. ¿Y qué más?"),
        ("learner", "Me duele el cabeza."),  # the planted error: still the second phrase
        ("tutor", "Ah: «Me duele la cabeza». ¿Alguna pregunta?"),
    ]
    found = await suggestions(emulator, HintBrief(learner, PHARMACY, history))
    assert found == [
        {"text": "¿Tiene algo para el dolor?", "gloss": "Asking a yes/no question"},
        {"text": "¿Cuánto cuesta?", "gloss": "Asking how much it costs"},
        {"text": "Gracias.", "gloss": "Saying thank you"},
    ]


async def test_a_finished_scene_suggests_its_closing_lines(emulator: Emulator) -> None:
    learner = LearnerBrief("Ana", "es", "en", "A2", "recast")
    said = [("learner", phrase) for phrase in PHARMACY.target_phrases]
    found = await suggestions(emulator, HintBrief(learner, PHARMACY, said))
    assert [s["text"] for s in found] == ["Gracias.", "Vale, gracias."]


@pytest.mark.parametrize("level", ["A2", "B1", "C1"])
async def test_free_talk_follows_the_script_of_the_learners_level(
    emulator: Emulator, level: str
) -> None:
    learner = LearnerBrief("Ana", "fr", "en", level, "recast")
    steps = load("fr").bands[level[0]].steps
    found = await suggestions(emulator, HintBrief(learner, None, [("learner", steps[0].learner)]))
    # The script's next learner line, with its planted error put right.
    right = steps[1].corrected(steps[1].learner)
    assert right is not None and found[0]["text"] == right


async def test_a_schema_needs_a_json_mime_type(emulator: Emulator) -> None:
    brief = HintBrief(LearnerBrief("Ana", "es", "en", "A2", "recast"), None, [])
    with pytest.raises(errors.ClientError) as caught:
        await suggestions(emulator, brief, response_mime_type="text/plain")
    assert caught.value.code == 400 and "response_mime_type" in str(caught.value)


async def test_a_malformed_schema_is_refused(emulator: Emulator) -> None:
    url = f"{emulator.base_url}/v1beta/models/{MODEL}:generateContent"
    bad = {
        "type": "OBJECT",
        "properties": {"suggestions": {"type": "ARRAY"}},  # an array needs its items
        "required": ["suggestions"],
    }
    body = {
        "contents": [{"role": "user", "parts": [{"text": "Target language: es"}]}],
        "generationConfig": {"responseMimeType": "application/json", "responseSchema": bad},
    }
    context = ssl.create_default_context(cafile=emulator.ca_file)
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as session,
        session.post(url, json=body, headers={"x-goog-api-key": "k"}) as response,
    ):
        assert response.status == 400
        error = (await response.json())["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    assert "response_schema.properties[suggestions].items" in error["message"]


async def test_a_schema_without_suggestions_is_not_a_hint_request(emulator: Emulator) -> None:
    schema = types.Schema(
        type=types.Type.OBJECT, properties={"transcript": types.Schema(type=types.Type.STRING)}
    )
    reply = await make_client(emulator).aio.models.generate_content(
        model=MODEL,
        contents="(Ana has just joined.)",
        config=json_config(
            response_schema=schema, system_instruction="You are a Spanish tutor. CEFR A2."
        ),
    )
    assert "suggestions" not in (reply.text or "")
