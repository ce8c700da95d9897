"""Turn assembly rules that do not need a session: joining fragments, validating tool calls."""

from __future__ import annotations

import pytest

from tutor.live.events import CorrectionNoted, Event, PhraseNoted, Transcript, TurnComplete
from tutor.live.turns import TurnAssembler, join_fragments, note_event


@pytest.mark.parametrize(
    ("fragments", "joined"),
    [
        ([" Hola,", " ¿qué", " tal?"], "Hola, ¿qué tal?"),  # fragments with their own spaces
        (["Hola,", "¿qué", "tal", "?"], "Hola, ¿qué tal?"),  # words without spaces
        (["Muy bien", ".", " Y tú"], "Muy bien. Y tú"),
        (["  Hola  ", "  amigo  "], "Hola amigo"),
        (["今日は", "いい天気", "ですね。"], "今日はいい天気ですね。"),  # no spaces in CJK
        ([], ""),
    ],
)
def test_it_joins_fragments_with_single_spaces_only_where_needed(
    fragments: list[str], joined: str
) -> None:
    assert join_fragments(fragments) == joined


def test_it_keeps_a_correction_with_a_known_kind_in_lower_case() -> None:
    args = {"original": " yo es ", "corrected": "yo soy", "explanation": "Ser.", "kind": "Grammar"}
    event, answer = note_event("note_correction", args)
    assert event == CorrectionNoted("yo es", "yo soy", "Ser.", "grammar")
    assert answer == {"result": "ok"}


def test_a_phrase_without_a_translation_is_still_kept() -> None:
    event, answer = note_event("note_phrase", {"text": "¡Qué guay!"})
    assert event == PhraseNoted(text="¡Qué guay!", translation="")
    assert answer == {"result": "ok"}


def test_non_string_arguments_count_as_missing() -> None:
    event, answer = note_event("note_correction", {"original": 3, "corrected": ["x"]})
    assert event is None
    assert "error" in answer


def test_a_cut_turn_without_tutor_output_emits_no_turn_complete() -> None:
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.learner_fragment("Hola")
    turns.cut()
    assert events[1:] == [
        Transcript(
            speaker="learner",
            text="Hola",
            final=True,
            interrupted=True,
            started_at=events[1].started_at,  # type: ignore[union-attr]
            ended_at=events[1].ended_at,  # type: ignore[union-attr]
        )
    ]
    assert not turns.in_turn
    assert not any(isinstance(e, TurnComplete) for e in events)


def finals_and_partials(events: list[Event]) -> list[tuple[str, bool]]:
    return [(e.text, e.final) for e in events if isinstance(e, Transcript)]


def test_a_transcription_that_repeats_typed_text_is_not_a_second_learner_line() -> None:
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.typed("Yo soy  cansado.")
    for fragment in ("Yo", " soy", " cansado."):
        turns.learner_fragment(fragment)
    turns.learner_fragment("Y tú?")
    turns.tutor_answering()
    assert finals_and_partials(events) == [("Y tú?", False), ("Y tú?", True)]


def test_two_lines_typed_before_their_echoes_arrive_are_both_recognised() -> None:
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.typed("0")
    turns.typed("Hola amigo")
    for fragment in ("0", "Hola", " amigo"):
        turns.learner_fragment(fragment)
    turns.tutor_answering()
    assert finals_and_partials(events) == []


def test_speech_that_only_starts_like_the_typed_text_is_kept_whole() -> None:
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.typed("Yo soy cansado.")
    for fragment in ("Yo", " soy", " feliz"):
        turns.learner_fragment(fragment)
    turns.tutor_answering()
    assert finals_and_partials(events)[-1] == ("Yo soy feliz", True)
    assert len(events) == 5  # three partials, the final line, SpeechEnded
