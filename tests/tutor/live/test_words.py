"""The lookup's answer as Tertulia accepts it (tutor/live/words.parse_answer), and what it
sends: a JSON schema and the prompt with the word and its line quoted."""

from __future__ import annotations

import json

import pytest

from tests.fakes import FakeLiveClient
from tutor.live.words import BAD_ANSWER, TutorUnavailable, WordQuestion, explain_word, parse_answer

GOOD = {"lemma": "estar", "meaning": "you are", "pos": "verb", "example": "Estoy aquí."}


def test_a_good_answer_is_trimmed_to_one_line_per_field() -> None:
    answer = parse_answer(json.dumps({**GOOD, "meaning": "  you\n are "}))
    assert (answer.lemma, answer.meaning, answer.pos) == ("estar", "you are", "verb")


def test_an_unknown_part_of_speech_becomes_other() -> None:
    assert parse_answer(json.dumps({**GOOD, "pos": "gerundio"})).pos == "other"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        '{"lemma": "estar", "meaning": ',  # cut off
        "[1, 2]",
        json.dumps({**GOOD, "lemma": ""}),
        json.dumps({**GOOD, "meaning": None}),
        json.dumps({**GOOD, "meaning": 42}),
        json.dumps({**GOOD, "example": "x" * 2000}),
    ],
    ids=["empty", "prose", "cut", "list", "no-lemma", "null", "number", "rambling"],
)
def test_a_garbled_answer_is_refused_with_a_clear_message(text: str) -> None:
    with pytest.raises(TutorUnavailable) as caught:
        parse_answer(text)
    assert (str(caught.value), caught.value.code) == (BAD_ANSWER, "bad_answer")


async def test_the_request_asks_for_json_with_the_word_and_its_line_quoted() -> None:
    fake = FakeLiveClient()
    fake.models.reply = json.dumps(GOOD)
    question = WordQuestion("es", "pl", "Polish", "A2", "estás", "¿Cómo «estás» hoy?")
    answer = await explain_word(fake, model="gemini-3.5-flash", question=question)  # type: ignore[arg-type]
    assert answer.lemma == "estar"
    (call,) = fake.models.calls
    config = call["config"]
    assert config.response_mime_type == "application/json"
    assert set(config.response_schema.properties) == {"lemma", "meaning", "pos", "example"}
    prompt = call["contents"][0].parts[0].text
    assert "Word: «estás»" in prompt
    assert 'Sentence: «¿Cómo "estás" hoy?»' in prompt  # a guillemet cannot end the quotation
    assert "Native language: pl (Polish)" in prompt and "Learner level: A2" in prompt
