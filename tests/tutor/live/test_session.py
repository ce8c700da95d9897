"""LiveTutor against scripted sessions (tests/fakes.py): connecting, one exchange (events,
turns, tools, a barge-in) and closing. Reconnection is in test_session_reconnect.py and
test_reconnect_input.py."""

from __future__ import annotations

from google.genai import types

from tests.fakes import (
    FakeLiveClient,
    FakeLiveSession,
    Gate,
    audio,
    cancelled,
    handle,
    heard,
    interrupted,
    said,
    strip_times,
    tool_call,
    turn_complete,
    until,
)
from tests.tutor.live.scripted import CORRECTION, SETTINGS, learner, started, tutor_said
from tutor.live.events import (
    CorrectionNoted,
    Interrupted,
    PhraseNoted,
    SpeechEnded,
    Transcript,
    TurnComplete,
    TutorAudio,
    Usage,
)
from tutor.live.session import LiveTutor

# -- connecting -------------------------------------------------------------------------------


async def test_it_connects_with_audio_voice_transcripts_resumption_and_compression() -> None:
    tutor, client, _ = await started(FakeLiveSession())
    config = client.connects[0]["config"]
    assert client.connects[0]["model"] == "gemini-3.8-live"
    assert config.response_modalities == [types.Modality.AUDIO]
    assert config.speech_config.voice_config.prebuilt_voice_config.voice_name == "Kore"
    assert config.speech_config.language_code == "es-ES"
    assert config.system_instruction == "Eres un tutor de español."
    assert config.input_audio_transcription is not None
    assert config.output_audio_transcription is not None
    assert config.session_resumption == types.SessionResumptionConfig(handle=None)
    assert config.context_window_compression.sliding_window is not None
    realtime = config.realtime_input_config
    assert realtime.automatic_activity_detection.disabled is False
    assert realtime.activity_handling == types.ActivityHandling.START_OF_ACTIVITY_INTERRUPTS
    await tutor.close()


async def test_it_declares_the_tools_as_schemas_without_forcing_a_behavior() -> None:
    tutor, client, _ = await started(FakeLiveSession())
    [tool] = client.connects[0]["config"].tools
    correction, phrase = tool.function_declarations
    assert (correction.name, phrase.name) == ("note_correction", "note_phrase")
    assert correction.parameters.type == types.Type.OBJECT
    assert correction.parameters.properties["kind"].enum == ["grammar", "vocabulary"]
    assert phrase.parameters.required == ["text", "translation"]
    assert correction.behavior is None
    await tutor.close()


async def test_it_sends_the_opener_once_as_realtime_text() -> None:
    tutor, client, _ = await started(FakeLiveSession())
    assert client.sessions[0].sent == [("realtime_input", {"text": "Saluda al alumno."})]
    await tutor.close()


async def test_it_sends_audio_as_an_audio_blob_never_media() -> None:
    tutor, client, _ = await started(FakeLiveSession())
    await tutor.send_audio(b"\x01\x00\x02\x00")
    await tutor.send_text("hola")
    await tutor.end_audio()
    kind, kwargs = client.sessions[0].sent[1]
    assert kind == "realtime_input"
    assert list(kwargs) == ["audio"]
    assert kwargs["audio"] == types.Blob(data=b"\x01\x00\x02\x00", mime_type="audio/pcm;rate=16000")
    assert client.sessions[0].sent[2:] == [
        ("realtime_input", {"text": "hola"}),
        ("realtime_input", {"audio_stream_end": True}),
    ]
    await tutor.close()


# -- one exchange -----------------------------------------------------------------------------


async def test_a_spoken_turn_becomes_partials_then_finals_in_order() -> None:
    session = FakeLiveSession(
        heard("Yo tengo"),
        heard(" veinte año"),
        tool_call(CORRECTION),
        audio(b"\x00\x01" * 8),
        said("¡Qué bien!"),
        said(" Tienes veinte años."),
        turn_complete(prompt=12, response=7),
    )
    tutor, _, stream = await started(session)
    events = await until(stream, TurnComplete)
    assert strip_times(events) == [
        learner("Yo tengo"),
        learner(" veinte año"),
        Transcript(speaker="learner", text="Yo tengo veinte año", final=True),
        SpeechEnded(),
        CorrectionNoted("tengo veinte año", "tengo veinte años", "Plural.", "grammar"),
        TutorAudio(pcm=b"\x00\x01" * 8),
        tutor_said("¡Qué bien!"),
        tutor_said(" Tienes veinte años."),
        Usage(prompt_tokens=12, response_tokens=7, total_tokens=19),
        Transcript(speaker="tutor", text="¡Qué bien! Tienes veinte años.", final=True),
        TurnComplete(interrupted=False),
    ]
    await tutor.close()


async def test_final_transcripts_carry_start_and_end_times() -> None:
    tutor, _, stream = await started(
        FakeLiveSession(heard("Hola"), heard(" profe"), said("Hola"), turn_complete())
    )
    events = await until(stream, TurnComplete)
    final_learner, spoke_until = events[2], events[3]
    assert isinstance(final_learner, Transcript) and final_learner.final
    assert final_learner.started_at is not None and final_learner.ended_at is not None
    assert final_learner.started_at <= final_learner.ended_at
    assert spoke_until == SpeechEnded(at=final_learner.ended_at)
    final_tutor = events[-2]
    assert isinstance(final_tutor, Transcript) and final_tutor.speaker == "tutor"
    assert final_tutor.started_at is not None and final_tutor.ended_at is not None
    assert final_learner.ended_at <= final_tutor.started_at <= final_tutor.ended_at
    await tutor.close()


async def test_a_learner_turn_the_tutor_never_answers_is_final_at_turn_complete() -> None:
    tutor, _, stream = await started(FakeLiveSession(heard("Mmm..."), turn_complete()))
    events = strip_times(await until(stream, TurnComplete))
    assert events[2:4] == [Transcript(speaker="learner", text="Mmm...", final=True), SpeechEnded()]
    await tutor.close()


async def test_it_answers_every_tool_call_at_once_with_its_id_and_silent_scheduling() -> None:
    gate = Gate()
    phrase = ("fc2", "note_phrase", {"text": "¿Qué tal?", "translation": "How are you?"})
    session = FakeLiveSession(heard("Hola"), tool_call(CORRECTION, phrase), gate, turn_complete())
    tutor, _, stream = await started(session)
    await gate.reached.wait()  # the model has not said anything else yet
    [responses] = session.tool_responses()
    assert [(r.id, r.name, r.response) for r in responses] == [
        ("fc1", "note_correction", {"result": "ok"}),
        ("fc2", "note_phrase", {"result": "ok"}),
    ]
    assert {r.scheduling for r in responses} == {types.FunctionResponseScheduling.SILENT}
    gate.open()
    events = await until(stream, TurnComplete)
    assert PhraseNoted(text="¿Qué tal?", translation="How are you?") in events
    await tutor.close()


async def test_an_unknown_correction_kind_is_kept_as_grammar() -> None:
    call = ("fc1", "note_correction", {**CORRECTION[2], "kind": "spelling"})
    tutor, _, stream = await started(FakeLiveSession(tool_call(call), turn_complete()))
    events = await until(stream, TurnComplete)
    [note] = [e for e in events if isinstance(e, CorrectionNoted)]
    assert note.kind == "grammar"
    await tutor.close()


async def test_unusable_tool_calls_are_answered_with_an_error_and_noted_nowhere() -> None:
    calls = [
        ("a", "note_correction", {"original": "", "corrected": "x"}),
        ("b", "note_phrase", {"translation": "no text"}),
        ("c", "order_pizza", {}),
    ]
    session = FakeLiveSession(tool_call(*calls), cancelled("a"), turn_complete())
    tutor, _, stream = await started(session)
    events = await until(stream, TurnComplete)
    assert not [e for e in events if isinstance(e, CorrectionNoted | PhraseNoted)]
    [responses] = session.tool_responses()
    assert [r.id for r in responses] == ["a", "b", "c"]
    assert all("error" in r.response for r in responses)
    await tutor.close()


async def test_a_barge_in_interrupts_at_once_and_drops_straggling_audio() -> None:
    session = FakeLiveSession(
        said("Bueno, te voy a"),
        audio(b"\x01\x00"),
        interrupted(),
        audio(b"\x02\x00"),  # generated before the server noticed: must not play
        heard("Espera"),
        turn_complete(),
        said("¿Sí?"),
        turn_complete(),
    )
    tutor, _, stream = await started(session)
    events = strip_times(await until(stream, TurnComplete, count=2))
    assert events[:6] == [
        tutor_said("Bueno, te voy a"),
        TutorAudio(pcm=b"\x01\x00"),
        Interrupted(),
        learner("Espera"),
        Usage(prompt_tokens=10, response_tokens=5, total_tokens=15),
        Transcript(speaker="tutor", text="Bueno, te voy a", final=True, interrupted=True),
    ]
    assert events[6] == TurnComplete(interrupted=True)
    # "Espera" starts the next exchange: final when the tutor answers it.
    assert events[7:10] == [
        Transcript(speaker="learner", text="Espera", final=True),
        SpeechEnded(),
        tutor_said("¿Sí?"),
    ]
    assert TutorAudio(pcm=b"\x02\x00") not in events
    await tutor.close()


# -- closing ----------------------------------------------------------------------------------


async def test_close_is_idempotent_ends_events_and_closes_the_session() -> None:
    tutor, client, stream = await started(FakeLiveSession(handle("h1"), said("Hola")))
    await until(stream, Transcript)
    await tutor.close()
    await tutor.close()
    assert client.sessions[0].closed
    assert [e async for e in stream] == []
    assert tutor.resumption_handle == "h1"  # statistics stay readable
    await tutor.send_audio(b"\x00\x00")  # after close: buffered nowhere that matters, no error


async def test_close_before_start_is_harmless() -> None:
    tutor = LiveTutor(FakeLiveClient(), SETTINGS)  # type: ignore[arg-type]
    await tutor.close()
    assert tutor.reconnects == 0
