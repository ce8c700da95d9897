"""LiveTutor against scripted sessions (tests/fakes.py): events, turns, tools, reconnects."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from google.genai import types
from websockets.datastructures import Headers
from websockets.exceptions import InvalidStatus
from websockets.http11 import Response

from tests.fakes import (
    NEVER_READY,
    TOOLS,
    FakeLiveClient,
    FakeLiveSession,
    Gate,
    Gated,
    audio,
    cancelled,
    closed,
    go_away,
    handle,
    heard,
    interrupted,
    said,
    send_closed,
    strip_times,
    tool_call,
    turn_complete,
    until,
)
from tutor.live.config import LiveSettings
from tutor.live.events import (
    CorrectionNoted,
    Error,
    Event,
    Interrupted,
    PhraseNoted,
    Reconnecting,
    Resumed,
    SpeechEnded,
    Transcript,
    TurnComplete,
    TutorAudio,
    Usage,
)
from tutor.live.session import LiveTutor
from tutor.live.text_reply import TutorUnavailable, generate_text_reply

SETTINGS = LiveSettings(
    model="gemini-3.8-live",
    system_instruction="Eres un tutor de español.",
    voice="Kore",
    language_code="es-ES",
    tools=TOOLS,
    opener="Saluda al alumno.",
    backoff=0.001,
    connect_timeout=0.2,
)
CORRECTION = ("fc1", "note_correction", {
    "original": "tengo veinte año",
    "corrected": "tengo veinte años",
    "explanation": "Plural.",
    "kind": "grammar",
})  # fmt: skip


def learner(text: str, **kw: Any) -> Transcript:
    return Transcript(speaker="learner", text=text, final=False, **kw)


def tutor_said(text: str) -> Transcript:
    return Transcript(speaker="tutor", text=text, final=False)


async def started(
    *connections: object, settings: LiveSettings = SETTINGS
) -> tuple[LiveTutor, FakeLiveClient, AsyncIterator[Event]]:
    client = FakeLiveClient(*connections)
    tutor = LiveTutor(client, settings)  # type: ignore[arg-type]
    await tutor.start()
    return tutor, client, tutor.events()


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


# -- goAway and reconnection ------------------------------------------------------------------


async def test_go_away_between_turns_reconnects_with_the_newest_handle_and_no_opener() -> None:
    first = FakeLiveSession(
        handle("h1"), said("¡Hola!"), turn_complete(), handle("h2"), handle("h3", False), go_away()
    )
    second = FakeLiveSession(said("Sigo aquí."), turn_complete())
    tutor, client, stream = await started(first, second)
    events = strip_times(await until(stream, TurnComplete, count=2))
    assert [e for e in events if isinstance(e, Reconnecting | Resumed)] == [
        Reconnecting(attempt=1, reason="go_away"),
        Resumed(reconnects=1),
    ]
    assert client.handles() == [None, "h2"]
    assert first.closed
    assert second.texts_sent() == []  # no opener: no second greeting
    assert (tutor.reconnects, tutor.resumption_handle) == (1, "h2")
    await tutor.close()


async def test_go_away_mid_turn_lets_the_turn_finish_first() -> None:
    first = FakeLiveSession(
        handle("h1"), said("Hola"), go_away("30s"), said(" amigo"), turn_complete(), handle("h2")
    )
    tutor, client, stream = await started(first, FakeLiveSession())
    events = strip_times(await until(stream, Resumed))
    assert events[-4:] == [
        Transcript(speaker="tutor", text="Hola amigo", final=True),
        TurnComplete(interrupted=False),
        Reconnecting(attempt=1, reason="go_away"),
        Resumed(reconnects=1),
    ]
    assert client.handles() == [None, "h2"]  # it waited for the handle covering the turn
    await tutor.close()


async def test_go_away_with_no_time_left_cuts_the_turn_and_keeps_its_text() -> None:
    # A turn after the greeting (a greeting cut short is dropped and asked for again).
    first = FakeLiveSession(
        said("Hola."), turn_complete(), handle("h1"), heard("Quiero"), said("Vale"), go_away("0s")
    )
    tutor, _, stream = await started(first, FakeLiveSession())
    events = strip_times(await until(stream, Resumed))
    assert events[-4:] == [
        Transcript(speaker="tutor", text="Vale", final=True, interrupted=True),
        TurnComplete(interrupted=True),
        Reconnecting(attempt=1, reason="go_away"),
        Resumed(reconnects=1),
    ]
    assert Transcript(speaker="learner", text="Quiero", final=True) in events
    await tutor.close()


async def test_the_close_after_a_go_away_is_not_counted_as_a_failure() -> None:
    first = FakeLiveSession(
        said("Hola."), turn_complete(), handle("h1"), said("Un"), go_away("30s"), closed(1011, "x")
    )
    tutor, _, stream = await started(first, FakeLiveSession(), settings=SETTINGS)
    events = strip_times(await until(stream, Resumed))
    assert Reconnecting(attempt=1, reason="go_away") in events
    assert Transcript(speaker="tutor", text="Un", final=True, interrupted=True) in events
    await tutor.close()


async def test_an_abrupt_close_keeps_the_learners_words_and_resumes() -> None:
    first = FakeLiveSession(handle("h1"), heard("Quiero un"), closed(1006, "abnormal closure"))
    second = FakeLiveSession(heard("café"), said("Claro."), turn_complete())
    tutor, client, stream = await started(first, second)
    events = strip_times(await until(stream, TurnComplete))
    assert events[:4] == [
        learner("Quiero un"),
        Transcript(speaker="learner", text="Quiero un", final=True, interrupted=True),
        Reconnecting(attempt=1, reason="close_1006"),
        Resumed(reconnects=1),
    ]
    assert Transcript(speaker="learner", text="café", final=True) in events
    assert client.handles() == [None, "h1"]
    await tutor.close()


async def test_1011_retries_back_off_and_a_completed_turn_resets_the_count() -> None:
    settings = dataclasses.replace(SETTINGS, max_retries=2)
    tutor, client, stream = await started(
        FakeLiveSession(handle("h1"), closed(1011, "Internal error encountered.")),
        closed(1011, "The service is currently unavailable."),
        FakeLiveSession(said("Ya."), turn_complete(), closed(1011, "again")),
        FakeLiveSession(),
        settings=settings,
    )
    events = strip_times(await until(stream, Resumed, count=2))
    assert [e for e in events if isinstance(e, Reconnecting | Resumed)] == [
        Reconnecting(attempt=1, reason="close_1011"),
        # A 1011 answering a resume's setup is a refusal: the next try is a fresh session.
        Reconnecting(attempt=2, reason="resume_refused"),
        Resumed(reconnects=1),
        Reconnecting(attempt=1, reason="close_1011"),
        Resumed(reconnects=2),
    ]
    assert client.handles() == [None, "h1", None, None]
    await tutor.close()


async def test_retries_are_bounded_then_one_unavailable_error_ends_the_events() -> None:
    first = FakeLiveSession(closed(1011, "Internal error encountered."))
    failures = [closed(1011, "The service is currently unavailable.") for _ in range(2)]
    settings = dataclasses.replace(SETTINGS, max_retries=2)
    tutor, client, stream = await started(first, *failures, FakeLiveSession(), settings=settings)
    events = await until(stream, Error)
    assert [type(e) for e in events] == [Reconnecting, Reconnecting, Error]
    error = events[-1]
    assert isinstance(error, Error) and (error.code, error.fatal) == ("upstream_unavailable", True)
    assert len(client.connects) == 3  # the first connection, then 2 retries that failed
    assert [e async for e in stream] == []
    await tutor.close()


async def test_a_missing_setup_complete_times_out_and_is_retried() -> None:
    tutor, client, _ = await started(NEVER_READY, FakeLiveSession())
    assert len(client.connects) == 2
    assert client.sessions[0].texts_sent() == ["Saluda al alumno."]
    await tutor.close()


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (closed(1008, "API key not valid. Please pass a valid API key."), "upstream_auth"),
        (closed(1008, "models/x is not found for API version v1beta"), "upstream_config"),
        (closed(1007, "Request contains an invalid argument."), "upstream_config"),
        (closed(1011, "[ORIGINAL ERROR] RESOURCE_EXHAUSTED: Maximum concurrent"), "upstream_quota"),
        (InvalidStatus(Response(403, "Forbidden", Headers())), "upstream_auth"),
        (InvalidStatus(Response(429, "Too Many Requests", Headers())), "upstream_quota"),
    ],
)
async def test_fatal_failures_are_one_clear_error_without_retry(
    failure: BaseException, code: str
) -> None:
    tutor, client, stream = await started(failure, FakeLiveSession())
    events = [e async for e in stream]
    assert len(events) == 1 and isinstance(events[0], Error)
    assert (events[0].code, events[0].fatal) == (code, True)
    assert len(client.connects) == 1
    await tutor.close()


async def test_error_messages_never_contain_the_api_key() -> None:
    leak = closed(1008, "API key fake-key-123 not valid")
    tutor, _, stream = await started(leak)
    [error] = [e async for e in stream]
    assert isinstance(error, Error) and "fake-key-123" not in error.message
    await tutor.close()


async def test_a_fatal_error_mid_conversation_flushes_the_turn_first() -> None:
    first = FakeLiveSession(heard("Me llamo"), closed(1008, "API key expired"))
    tutor, _, stream = await started(first)
    events = strip_times([e async for e in stream])
    assert events[1:] == [
        Transcript(speaker="learner", text="Me llamo", final=True, interrupted=True),
        Error(code="upstream_auth", message="Gemini rejected the API key (1008)."),
    ]
    await tutor.close()


# -- input during a reconnect -----------------------------------------------------------------


async def test_audio_during_a_reconnect_is_bounded_flushed_in_order_then_live_again() -> None:
    drop, gate = Gate(), Gate()
    first = FakeLiveSession(handle("h1"), drop, closed(1011, "Internal error encountered."))
    second = FakeLiveSession()
    settings = dataclasses.replace(SETTINGS, audio_buffer_ms=100)  # 3200 bytes
    tutor, _, stream = await started(first, Gated(second, gate), settings=settings)
    drop.open()
    await until(stream, Reconnecting)
    await gate.reached.wait()  # connect() is under way, nothing is live
    chunks = [bytes([i]) * 1000 for i in range(5)]
    for chunk in chunks:
        await tutor.send_audio(chunk)
    await tutor.send_text("¿me oyes?")
    await tutor.end_audio()
    gate.open()
    await until(stream, Resumed)
    assert b"".join(second.audio_sent()) == (chunks[1] + chunks[2] + chunks[3] + chunks[4])[-3200:]
    assert tutor.dropped_audio_bytes == 5000 - 3200
    assert second.sent[-2:] == [  # in the order they were given
        ("realtime_input", {"text": "¿me oyes?"}),
        ("realtime_input", {"audio_stream_end": True}),
    ]
    await tutor.send_audio(b"\x09\x00")
    assert second.audio_sent()[-1] == b"\x09\x00"
    await tutor.close()


async def test_audio_that_meets_a_closed_socket_is_kept_for_the_next_connection() -> None:
    drop = Gate()
    first = FakeLiveSession(handle("h1"), drop, closed(1011, "gone"))
    second = FakeLiveSession()
    tutor, _, stream = await started(first, second)
    first.send_error = send_closed()
    await tutor.send_audio(b"\x05\x00" * 4)
    await tutor.send_audio(b"\x06\x00" * 4)
    drop.open()
    await until(stream, Resumed)
    assert second.audio_sent() == [b"\x05\x00" * 4, b"\x06\x00" * 4]
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


# -- text fallback ----------------------------------------------------------------------------


async def test_text_replies_send_history_as_user_and_model_turns() -> None:
    client = FakeLiveClient()
    reply = await generate_text_reply(
        client,  # type: ignore[arg-type]
        model="gemini-3.5-flash",
        system_instruction="Eres un tutor.",
        history=[("tutor", "¡Hola!"), ("learner", "Hola, soy Ana")],
        message="¿Cómo estás?",
    )
    assert reply == "¡Muy bien!"
    [call] = client.models.calls
    assert call["model"] == "gemini-3.5-flash"
    assert [(c.role, c.parts[0].text) for c in call["contents"]] == [
        ("model", "¡Hola!"),
        ("user", "Hola, soy Ana"),
        ("user", "¿Cómo estás?"),
    ]
    assert call["config"].system_instruction == "Eres un tutor."


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (closed(400, {"error": {"message": "API key not valid.", "status": "INVALID_ARGUMENT"}}),
         "upstream_auth"),
        (closed(429, {"error": {"message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}}),
         "upstream_quota"),
        (closed(503, {"error": {"message": "overloaded", "status": "UNAVAILABLE"}}),
         "upstream_unavailable"),
        (ConnectionRefusedError(111, "refused"), "upstream_unavailable"),
    ],
)  # fmt: skip
async def test_text_reply_failures_become_tutor_unavailable(
    failure: BaseException, code: str
) -> None:
    client = FakeLiveClient()
    client.models.reply = failure
    with pytest.raises(TutorUnavailable) as caught:
        await generate_text_reply(
            client,  # type: ignore[arg-type]
            model="m",
            system_instruction="s",
            history=[],
            message="hola",
        )
    assert caught.value.code == code
