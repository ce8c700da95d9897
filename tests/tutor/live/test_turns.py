"""Turn assembly rules that do not need a session: joining fragments, validating tool calls."""

from __future__ import annotations

import pytest

from tests.tutor.live.test_turn_orderings import Clock
from tutor.live.events import (
    CorrectionNoted,
    Event,
    PhraseNoted,
    SpeechEnded,
    Transcript,
    TurnComplete,
)
from tutor.live.turns import (
    UTTERANCE_END_MS,
    UTTERANCE_END_S,
    TurnAssembler,
    join_fragments,
    note_event,
)


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


def test_an_echo_that_comes_after_its_reply_and_the_next_typed_line_is_still_an_echo() -> None:
    """Found by the consumer fuzz test under emulator seed 1: the echo of a typed line came
    after its reply's turnComplete and after the next line was typed, and was stored as speech
    run together with the next line's echo."""
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.typed("Yo estoy bien")
    turns.tutor_fragment("¡Qué bien!")
    turns.turn_complete()
    turns.typed("0")
    for fragment in ("Yo estoy", " bien", "0"):  # the late echo, then the next line's
        turns.learner_fragment(fragment)
    turns.tutor_answering()
    assert finals_and_partials(events) == [("¡Qué bien!", False), ("¡Qué bien!", True)]


def test_a_piece_that_could_begin_two_echoes_belongs_to_the_newer_line() -> None:
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.typed("gusta")  # never echoed
    turns.tutor_fragment("Vale.")
    turns.turn_complete()
    turns.typed("gusta Me")
    for fragment in ("gusta", " Me"):
        turns.learner_fragment(fragment)
    turns.tutor_answering()
    assert _learner_finals(events) == []


def test_speech_that_only_starts_like_the_typed_text_is_kept_whole() -> None:
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.typed("Yo soy cansado.")
    for fragment in ("Yo", " soy", " feliz"):
        turns.learner_fragment(fragment)
    turns.tutor_answering()
    assert finals_and_partials(events)[-1] == ("Yo soy feliz", True)
    assert len(events) == 5  # three partials, the final line, SpeechEnded


def _learner_finals(events: list[Event]) -> list[tuple[int | None, str, bool]]:
    return [
        (e.line, e.text, e.amends)
        for e in events
        if isinstance(e, Transcript) and e.final and e.speaker == "learner"
    ]


def test_words_after_the_reply_began_complete_the_same_line() -> None:
    """The reported bug: one sentence stored as two learner turns."""
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.learner_speech()
    turns.learner_fragment("Me gusta leer libros")
    turns.tutor_audio(b"\x00\x00")
    turns.learner_fragment(" y escuchar a la música.")
    turns.tutor_fragment("¡Qué bien!")
    turns.turn_complete()
    finals = _learner_finals(events)
    line = finals[0][0]
    assert finals == [
        (line, "Me gusta leer libros", False),
        (line, "Me gusta leer libros y escuchar a la música.", True),
    ]
    tutor = [e for e in events if isinstance(e, Transcript) and e.final and e.speaker == "tutor"]
    assert [t.text for t in tutor] == ["¡Qué bien!"]


def test_a_late_tool_call_keeps_its_line_and_opens_no_tutor_turn() -> None:
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.learner_speech()
    turns.learner_fragment("Yo soy cansado")
    turns.tutor_fragment("Vale.")
    turns.turn_complete(idle=False)  # IN_PROGRESS: more may follow
    turns.tool_call()
    turns.note(CorrectionNoted("soy", "estoy", "", "grammar"))
    turns.learner_fragment(" hoy.")
    turns.turn_complete(idle=True)  # IDLE: the server is done with the learner's input
    assert not turns.tutor_active
    assert sum(isinstance(e, TurnComplete) for e in events) == 1
    [note] = [e for e in events if isinstance(e, CorrectionNoted)]
    [(line, _, _), (same, text, amends)] = _learner_finals(events)
    assert note.line == line == same and (text, amends) == ("Yo soy cansado hoy.", True)
    turns.learner_fragment("Adiós")  # after IDLE: a new line
    turns.tutor_audio(b"\x00\x00")
    assert _learner_finals(events)[-1][1:] == ("Adiós", False)
    assert _learner_finals(events)[-1][0] != line


@pytest.mark.parametrize("spoken", [False, True])
def test_a_note_after_a_barge_in_is_about_the_newer_line(spoken: bool) -> None:
    """The learner typed (or said) a second line while the tutor still answered the first: the
    server cuts the reply, and a NON_BLOCKING call about the new line may come before the cut
    reply's turnComplete. Its note is the new line's, not the old one's."""
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    first = turns.typed("Yo soy cansado.")
    turns.tutor_audio(b"\x00\x00")
    turns.tutor_fragment("Vaya, ¿por qué")
    if spoken:
        turns.learner_speech()
        turns.barge_in()
        turns.learner_fragment("Yo tengo mucho trabajo ayer.", finished=True)
        [(second, _, _)] = _learner_finals(events)
    else:
        second = turns.typed("Yo tengo mucho trabajo ayer.")
        turns.barge_in()
    turns.tool_call()
    turns.note(CorrectionNoted("tengo", "tenía", "", "grammar"))
    turns.turn_complete()  # the cut reply's
    turns.tutor_fragment("¡Pobre!")
    turns.turn_complete(idle=True)
    [note] = [e for e in events if isinstance(e, CorrectionNoted)]
    assert note.line == second != first
    tutor = [e for e in events if isinstance(e, Transcript) and e.final and e.speaker == "tutor"]
    assert [(t.text, t.interrupted) for t in tutor] == [
        ("Vaya, ¿por qué", True),
        ("¡Pobre!", False),
    ]


def test_speech_before_any_word_holds_the_reply_until_the_learners_line() -> None:
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.learner_speech()
    turns.tool_call()
    turns.note(PhraseNoted("estar cansado", "to be tired"))
    turns.tutor_fragment("Vale.")
    turns.turn_complete()
    assert not [e for e in events if isinstance(e, Transcript) and e.final]  # held
    turns.learner_fragment("Estoy cansado.", finished=True)
    finals = [e for e in events if isinstance(e, Transcript) and e.final]
    assert [(e.speaker, e.text) for e in finals] == [
        ("learner", "Estoy cansado."),
        ("tutor", "Vale."),
    ]
    [note] = [e for e in events if isinstance(e, PhraseNoted)]
    assert note.line == finals[0].line is not None
    assert isinstance(events[0], SpeechEnded)  # timed from the learner's audio


def test_a_reserved_line_that_gets_no_words_releases_the_reply() -> None:
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.learner_speech()  # a cough: the model answers, nobody transcribes anything
    turns.tutor_fragment("¿Perdón?")
    turns.turn_complete(idle=True)
    finals = [e for e in events if isinstance(e, Transcript) and e.final]
    assert [(e.speaker, e.text) for e in finals] == [("tutor", "¿Perdón?")]


def _spoken(turns: TurnAssembler, clock: Clock) -> None:
    """The learner says something and stops: the server transcribes it after that."""
    turns.learner_speech()
    turns.learner_audio(UTTERANCE_END_MS)
    clock.now += UTTERANCE_END_S


def test_an_unechoed_typed_line_never_swallows_later_speech() -> None:
    events: list[Event] = []
    clock = Clock()
    turns = TurnAssembler(events.append, clock)
    typed = turns.typed("Hola")
    turns.tutor_fragment("¡Hola!")
    turns.turn_complete()
    _spoken(turns, clock)
    turns.learner_fragment("Hola")
    turns.tutor_audio(b"\x00\x00")
    [(line, text, amends)] = _learner_finals(events)
    assert (text, amends) == ("Hola", False) and line != typed


def test_an_echo_cut_short_by_a_lost_connection_is_not_run_into_the_next_one() -> None:
    """Found by bench/soak.py: the first piece of a typed line's echo came, the connection
    was lost mid-reply, and after the reconnect that piece was stored as speech run together
    with the next typed line's echo ("Mañana voy a Mañana voy a la playa (frase 3)")."""
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.typed("Mañana voy a la playa (frase 2)")
    turns.learner_fragment("Mañana voy a")  # the first piece of its echo
    turns.tutor_audio(b"\x00\x00")
    turns.tutor_fragment("¡Interesante!")
    turns.cut()  # the connection is lost: the rest of that echo never comes
    turns.typed("Mañana voy a la playa (frase 3)")
    for fragment in ("Mañana voy a la playa", " (frase 3)"):
        turns.learner_fragment(fragment)
    turns.tutor_audio(b"\x00\x00")
    turns.tutor_fragment("Muy bien.")
    turns.turn_complete(idle=True)
    assert _learner_finals(events) == []
    assert [t.text for t in events if isinstance(t, Transcript) and t.speaker == "learner"] == []


def test_an_echo_left_unfinished_gives_way_to_the_next_lines_echo() -> None:
    """The same without the cut: nothing promises the rest of an echo will come, and a piece
    that begins a newer line's echo ends the older one's."""
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.typed("Yo soy cansado hoy (frase 1)")
    turns.learner_fragment("Yo soy")
    turns.tutor_fragment("Vale.")
    turns.turn_complete()
    turns.typed("Me gusta mucho el café (frase 2)")
    for fragment in ("Me gusta", " mucho el café (frase 2)"):
        turns.learner_fragment(fragment)
    turns.tutor_fragment("Ya.")
    turns.turn_complete(idle=True)
    assert [t.text for t in events if isinstance(t, Transcript) and t.speaker == "learner"] == []


def test_late_pieces_while_the_learner_speaks_again_complete_the_answered_line() -> None:
    """2.5 and 3.1 send no interactionStatus, and transcribe an utterance once it has ended:
    the last words of one line may arrive while the learner is saying the next
    (google-gemini/cookbook#1328). They belong to the line before, not to a second line."""
    events: list[Event] = []
    clock = Clock()
    turns = TurnAssembler(events.append, clock)
    _spoken(turns, clock)
    turns.learner_fragment("Me gusta leer")
    turns.tutor_fragment("¡Qué bien!")
    turns.turn_complete()  # no interactionStatus: nothing says the line is done
    turns.learner_speech()  # the learner starts the next utterance...
    turns.learner_audio(20)
    turns.learner_fragment(" libros.")  # ...and the last line's tail arrives meanwhile
    _spoken(turns, clock)  # the new utterance has ended: its own words now
    turns.learner_fragment("Ayer fui")
    turns.tutor_audio(b"\x00\x00")
    finals = _learner_finals(events)
    first, second = finals[0][0], finals[-1][0]
    assert finals == [
        (first, "Me gusta leer", False),
        (first, "Me gusta leer libros.", True),
        (second, "Ayer fui", False),
    ]
    assert first != second


def test_a_typed_lines_echo_while_the_learner_speaks_again_is_still_an_echo() -> None:
    events: list[Event] = []
    clock = Clock()
    turns = TurnAssembler(events.append, clock)
    turns.typed("Hoy estoy cansado")
    turns.tutor_fragment("¿Por qué?")
    turns.turn_complete()
    turns.learner_speech()
    turns.learner_fragment("Hoy estoy cansado")  # its echo, held until the next input
    _spoken(turns, clock)
    turns.learner_fragment("Trabajé mucho")
    turns.tutor_audio(b"\x00\x00")
    assert [text for _, text, _ in _learner_finals(events)] == ["Trabajé mucho"]


def test_an_echo_that_the_next_typed_line_begins_with_belongs_to_the_older_line() -> None:
    """The two lines share their start: the first piece fits both, the second tells which."""
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.typed("Mañana voy a la playa (frase 2)")
    turns.tutor_fragment("Vale.")
    turns.turn_complete()
    turns.typed("Mañana voy a la playa (frase 3)")
    for fragment in ("Mañana voy a la playa", " (frase 2)", "Mañana voy a la playa", " (frase 3)"):
        turns.learner_fragment(fragment)
    turns.tutor_fragment("Bien.")
    turns.turn_complete(idle=True)
    assert _learner_finals(events) == []


def test_speech_that_begins_like_a_waiting_line_twice_is_speech() -> None:
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.typed("Hola amigo")
    for fragment in ("Hola", "Hola amigo"):  # an echo does not start over
        turns.learner_fragment(fragment)
    turns.tutor_audio(b"\x00\x00")
    assert [text for _, text, _ in _learner_finals(events)] == ["Hola"]


def test_a_pause_in_the_learners_audio_alone_is_not_quiet_enough_in_time() -> None:
    """Tests push audio faster than real time, and a stalled network sends none: the end of
    an utterance needs quiet both in the audio and in time."""
    events: list[Event] = []
    clock = Clock()
    turns = TurnAssembler(events.append, clock)
    _spoken(turns, clock)
    turns.learner_fragment("Me gusta")
    turns.tutor_fragment("Vale.")
    turns.turn_complete()
    turns.learner_speech()
    turns.learner_audio(UTTERANCE_END_MS * 10)  # pushed at once
    turns.learner_fragment(" leer.")  # late: the server cannot have heard the new one end
    clock.now += UTTERANCE_END_S
    turns.learner_fragment("Ayer fui")
    assert [(text, amends) for _, text, amends in _learner_finals(events)] == [
        ("Me gusta", False),
        ("Me gusta leer.", True),
    ]
    assert [e.text for e in events if isinstance(e, Transcript) and not e.final][-1] == "Ayer fui"


def test_a_new_turn_under_way_on_the_server_ends_the_answered_line() -> None:
    """`resumable: false` after a reply: the server took new input, whatever the learner's
    audio showed (here none at all)."""
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.learner_fragment("Me gusta leer.")
    turns.tutor_fragment("Vale.")
    turns.turn_complete()
    turns.server_turn_began()
    turns.learner_fragment("Ayer fui")
    turns.tutor_audio(b"\x00\x00")
    finals = _learner_finals(events)
    assert [text for _, text, _ in finals] == ["Me gusta leer.", "Ayer fui"]
    assert finals[0][0] != finals[1][0]


def test_a_turn_waiting_for_more_input_keeps_the_line_open_for_what_comes_next() -> None:
    """turnCompleteReason NEED_MORE_INPUT: the model answered nothing and waits."""
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.learner_fragment("Quiero")
    assert turns.turn_complete(idle=True, waiting=True) is False
    assert not any(isinstance(e, TurnComplete) for e in events)
    turns.learner_fragment(" un café.")
    turns.tutor_fragment("¡Claro!")
    assert turns.turn_complete(idle=True) is True
    assert [text for _, text, _ in _learner_finals(events)] == ["Quiero un café."]
    assert sum(isinstance(e, TurnComplete) for e in events) == 1


def test_a_turn_under_way_after_in_progress_may_still_be_the_last_exchanges() -> None:
    """3.8 says IN_PROGRESS while late pieces and notes may follow: a `resumable: false` then
    does not end the line (only IDLE, or the learner's next utterance, does)."""
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    turns.learner_fragment("Me gusta")
    turns.tutor_fragment("Vale.")
    turns.turn_complete(in_progress=True)
    turns.server_turn_began()
    turns.learner_fragment(" leer.")
    turns.turn_complete(idle=True)
    assert [(text, amends) for _, text, amends in _learner_finals(events)] == [
        ("Me gusta", False),
        ("Me gusta leer.", True),
    ]
