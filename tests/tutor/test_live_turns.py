"""Turn assembly rules that do not need a session: joining fragments, validating tool calls."""

from __future__ import annotations

import pytest

from tutor.events import CorrectionNoted, Event, PhraseNoted, Transcript, TurnComplete
from tutor.live_turns import TurnAssembler, join_fragments, note_event


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
