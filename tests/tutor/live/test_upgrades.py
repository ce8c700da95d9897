"""note_upgrade ("say it better") in the bridge: parsing the call, the line it is about, and
the rule of at most one per learner turn, refused with a tool error for the model."""

from __future__ import annotations

from typing import Any

from google.genai import types

from tests.fakes import (
    FakeLiveClient,
    FakeLiveSession,
    FakeModels,
    heard,
    said,
    tool_call,
    turn_complete,
    until,
)
from tests.tutor.live.scripted import started
from tutor.live.events import Event, Transcript, TurnComplete, UpgradeNoted
from tutor.live.notes import ONE_UPGRADE
from tutor.live.text_reply import generate_text_reply
from tutor.live.turns import TurnAssembler, note_event
from tutor.prompts import TOOL_DECLARATIONS

UPGRADE = {
    "original": "Me gusta mucho el café.",
    "upgraded": "Me encanta el café.",
    "explanation": "Encantar says 'like a lot' in one word.",
}


def test_a_well_formed_upgrade_is_kept_with_its_fields_trimmed() -> None:
    args = {key: f"  {value} " for key, value in UPGRADE.items()}
    event, answer = note_event("note_upgrade", args)
    assert event == UpgradeNoted(
        "Me gusta mucho el café.", "Me encanta el café.", "Encantar says 'like a lot' in one word."
    )
    assert answer == {"result": "ok"}


def test_an_upgrade_without_both_sentences_or_that_changes_nothing_is_an_error() -> None:
    for args in (
        {"original": "Hola.", "explanation": "x"},
        {"upgraded": "Buenas.", "original": 3},
        {"original": "Hola, ¿qué tal?", "upgraded": "  hola,  ¿QUÉ tal? "},
    ):
        event, answer = note_event("note_upgrade", args)
        assert event is None
        assert "error" in answer


def test_an_upgrade_without_an_explanation_is_still_kept() -> None:
    event, _ = note_event("note_upgrade", {"original": "Hola.", "upgraded": "¡Buenas!"})
    assert event == UpgradeNoted("Hola.", "¡Buenas!", "")


def test_the_assembler_takes_one_upgrade_per_learner_line_and_a_new_line_gets_its_own() -> None:
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.learner_fragment("Me gusta mucho el café.", finished=True)
    turns.tool_call()
    assert turns.note(UpgradeNoted(*UPGRADE.values())) is True
    assert turns.note(UpgradeNoted("Me gusta mucho el café.", "Adoro el café.", "")) is False
    turns.tutor_fragment("¡A mí también!")
    turns.turn_complete(idle=True)
    turns.learner_fragment("Vivo en Madrid.", finished=True)
    turns.tool_call()
    assert turns.note(UpgradeNoted("Vivo en Madrid.", "Resido en Madrid.", "")) is True
    notes = [e for e in events if isinstance(e, UpgradeNoted)]
    learner = [e for e in events if isinstance(e, Transcript) and e.speaker == "learner"]
    assert [n.upgraded for n in notes] == ["Me encanta el café.", "Resido en Madrid."]
    assert [n.line for n in notes] == [learner[0].line, learner[-1].line]
    assert notes[0].line != notes[1].line


def test_a_late_second_upgrade_after_turn_complete_is_still_the_same_line() -> None:
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.learner_fragment("Me gusta mucho el café.", finished=True)
    turns.tutor_fragment("Vale.")
    turns.tool_call()
    assert turns.note(UpgradeNoted(*UPGRADE.values()))
    turns.turn_complete(in_progress=True)
    turns.tool_call()  # NON_BLOCKING, after the audio and turnComplete (3.8)
    assert not turns.note(UpgradeNoted("Me gusta mucho el café.", "Adoro el café.", ""))
    assert len([e for e in events if isinstance(e, UpgradeNoted)]) == 1


async def test_the_second_upgrade_of_a_line_is_answered_with_an_error_and_not_emitted() -> None:
    first = ("u1", "note_upgrade", UPGRADE)
    second = ("u2", "note_upgrade", {**UPGRADE, "upgraded": "Adoro el café."})
    line = heard("Me gusta mucho el café.")
    session = FakeLiveSession(line, tool_call(first, second), said("¡Y a mí!"), turn_complete())
    tutor, _, stream = await started(session)
    events = await until(stream, TurnComplete)
    [responses] = session.tool_responses()
    answers = [(r.id, r.response) for r in responses]
    assert answers == [("u1", {"result": "ok"}), ("u2", ONE_UPGRADE)]
    [note] = [e for e in events if isinstance(e, UpgradeNoted)]
    assert note.upgraded == "Me encanta el café."
    [line] = [e for e in events if isinstance(e, Transcript) and e.speaker == "learner" and e.final]
    assert note.line == line.line is not None
    await tutor.close()


class _CallsThenWords(FakeModels):
    """A text model that first answers with two note_upgrade calls alone, then with words."""

    async def generate_content(self, **kwargs: Any) -> types.GenerateContentResponse:
        self.calls.append(kwargs)
        if len(self.calls) > 1:
            self.calls.pop()  # the parent records it again
            return await super().generate_content(**kwargs)
        parts = [
            types.Part(function_call=types.FunctionCall(name="note_upgrade", args=args))
            for args in (UPGRADE, {**UPGRADE, "upgraded": "Adoro el café."})
        ]
        content = types.Content(role="model", parts=parts)
        return types.GenerateContentResponse(candidates=[types.Candidate(content=content)])


async def test_the_typed_path_keeps_one_upgrade_and_answers_the_second_with_an_error() -> None:
    client = FakeLiveClient()
    client.models = client.aio.models = _CallsThenWords()
    answer = await generate_text_reply(
        client,  # type: ignore[arg-type]
        model="m",
        system_instruction="s",
        history=[],
        message=UPGRADE["original"],
        tools=TOOL_DECLARATIONS,
    )
    assert answer.text == "¡Muy bien!"
    assert answer.notes == (UpgradeNoted(*UPGRADE.values()),)
    results = client.models.calls[-1]["contents"][-1].parts
    assert [p.function_response.response for p in results] == [{"result": "ok"}, ONE_UPGRADE]
