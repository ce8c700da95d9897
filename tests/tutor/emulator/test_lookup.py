"""Word lookups on the emulator's text endpoint (tutor/emulator/lookup.py), through the SDK as
Tertulia asks them (tutor/live/words.py), and the response-schema rules it enforces."""

from __future__ import annotations

import json

import pytest
from google.genai import errors, types

from tests.tutor.emulator.conftest import make_client
from tutor.emulator import Emulator
from tutor.live.words import WordQuestion, explain_word
from tutor.prompts.words import PARTS_OF_SPEECH, explain_request

_STRING = types.Schema(type=types.Type.STRING)


def question(word: str, sentence: str, language: str = "es") -> WordQuestion:
    return WordQuestion(language, "en", "English", "A2", word, sentence)


async def test_a_word_of_its_own_script_is_explained_from_its_glossary(
    emulator: Emulator,
) -> None:
    answer = await explain_word(
        make_client(emulator),
        model="gemini-3.5-flash",
        question=question("estás", "¿Cómo estás hoy?"),
    )
    assert (answer.lemma, answer.pos, answer.example) == ("estar", "verb", "Estoy en casa.")
    assert answer.meaning.startswith("you are")
    assert emulator.text_requests == 1


async def test_japanese_and_other_languages_have_entries_too(emulator: Emulator) -> None:
    client = make_client(emulator)
    genki = await explain_word(
        client, model="gemini-3.5-flash", question=question("元気", "今日は元気ですか？", "ja")
    )
    heute = await explain_word(
        client, model="gemini-3.5-flash", question=question("heute", "Wie geht es dir heute?", "de")
    )
    assert (genki.lemma, genki.pos, heute.lemma, heute.meaning) == (
        "元気",
        "adjective",
        "heute",
        "today",
    )


async def test_an_unknown_word_gets_an_answer_of_the_same_shape(emulator: Emulator) -> None:
    answer = await explain_word(
        make_client(emulator),
        model="gemini-3.5-flash",
        question=question("Zaragoza", "Vivo en Zaragoza."),
    )
    assert (answer.lemma, answer.pos, answer.example) == ("Zaragoza", "other", "Vivo en Zaragoza.")
    assert "no dictionary entry" in answer.meaning


async def test_the_answer_follows_the_schemas_properties_order_and_enum(
    emulator: Emulator,
) -> None:
    schema = types.Schema(
        type=types.Type.OBJECT,
        properties={
            "meaning": _STRING,
            "lemma": _STRING,
            "pos": types.Schema(type=types.Type.STRING, enum=["noun", "other-kind"]),
        },
        property_ordering=["pos", "lemma", "meaning"],
    )
    config = types.GenerateContentConfig(
        response_mime_type="application/json", response_schema=schema
    )
    reply = await make_client(emulator).aio.models.generate_content(
        model="gemini-3.5-flash",
        contents=explain_request(question("hoy", "¿Cómo estás hoy?")),
        config=config,
    )
    # "adverb" is not among the schema's values: constrained decoding picks one that is.
    assert list(json.loads(reply.text or "")) == ["pos", "lemma", "meaning"]
    assert json.loads(reply.text or "") == {"pos": "noun", "lemma": "hoy", "meaning": "today"}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            types.GenerateContentConfig(
                response_schema=types.Schema(type=types.Type.OBJECT, properties={"lemma": _STRING})
            ),
            "generation_config.response_mime_type",
        ),
        (
            types.GenerateContentConfig(
                response_mime_type="application/json",
                response_schema=types.Schema(
                    type=types.Type.OBJECT, properties={"lemma": _STRING}, required=["meaning"]
                ),
            ),
            "property is not defined",
        ),
        (
            types.GenerateContentConfig(
                response_mime_type="application/json",
                response_schema=types.Schema(
                    type=types.Type.OBJECT,
                    properties={"n": types.Schema(type=types.Type.INTEGER, enum=["1"])},
                ),
            ),
            "enum: only allowed for STRING type",
        ),
    ],
    ids=["no-json-mime", "required-unknown", "enum-not-string"],
)
async def test_a_malformed_schema_is_refused_as_the_real_api_does(
    emulator: Emulator, config: types.GenerateContentConfig, message: str
) -> None:
    with pytest.raises(errors.ClientError) as caught:
        await make_client(emulator).aio.models.generate_content(
            model="gemini-3.5-flash", contents="Word: «hoy»", config=config
        )
    assert caught.value.code == 400
    assert message in str(caught.value.message)


def test_every_part_of_speech_of_the_glossary_is_one_the_schema_allows() -> None:
    from tutor.emulator.glossary import GLOSSARY

    used = {entry.pos for words in GLOSSARY.values() for entry in words.values()}
    assert used <= set(PARTS_OF_SPEECH)
