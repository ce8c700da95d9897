"""LiveTutor with the real google-genai SDK against the local emulator, over TLS.

Learner speech is synthesized with the emulator's own espeak voice; the emulator's energy VAD
ends a turn after `silence_ms` of quiet. Nothing here reaches Google.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest

from tests.fakes import until
from tests.tutor.live import scripted
from tutor.emulator import Emulator, Fault
from tutor.emulator.dialogue import new_state, plan_greeting
from tutor.emulator.scripts import load
from tutor.emulator.turns import OUTPUT_RATE, WPM
from tutor.emulator.voice import synthesize
from tutor.live.config import make_client
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
from tutor.live.texts import REFUSED

INSTRUCTION = (
    "You are a warm, patient Spanish conversation tutor in a live voice call with Alice. "
    "Their native language is English and their Spanish level is CEFR A2."
)
# The scripted tests' settings, with the patience a real socket needs.
SETTINGS = dataclasses.replace(
    scripted.SETTINGS,
    system_instruction=INSTRUCTION,
    opener="(Alice has just joined. Greet them by name.)",
    backoff=0.01,
    connect_timeout=2.0,
)
SCRIPT = load("es").bands["A"]
STEP = SCRIPT.steps[0]
GREETING = plan_greeting(new_state("es-ES", INSTRUCTION)).reply  # the notice, a hello, a question


def speech(text: str) -> bytes:
    """The learner saying `text`, then one second of quiet: 16 kHz PCM16 mono."""
    return synthesize(text, "es", 16000) + bytes(32000)


async def speak(tutor: LiveTutor, pcm: bytes) -> None:
    for start in range(0, len(pcm), 3200):  # 100 ms chunks, as the consumer sends them
        await tutor.send_audio(pcm[start : start + 3200])


async def connected(
    emu: Emulator, api_key: str = "test-key", **changes: object
) -> tuple[LiveTutor, AsyncIterator[Event]]:
    client = make_client(api_key=api_key, base_url=emu.base_url, ca_file=emu.ca_file)
    tutor = LiveTutor(client, dataclasses.replace(SETTINGS, **changes))  # type: ignore[arg-type]
    await tutor.start()
    return tutor, tutor.events()


def finals(events: list[Event], speaker: str) -> list[str]:
    return [
        e.text for e in events if isinstance(e, Transcript) and e.final and e.speaker == speaker
    ]


def tutor_pcm(events: list[Event]) -> bytes:
    return b"".join(e.pcm for e in events if isinstance(e, TutorAudio))


@pytest.mark.parametrize("model", ["gemini-3.8-live", "gemini-3.1-flash-live-preview"])
async def test_a_spoken_turn_gives_transcripts_24k_audio_a_correction_and_a_turn_end(
    orderly_emulator: Emulator, model: str
) -> None:
    # Pins the tidy order (the correction before the audio); the scattered orders are
    # covered by tests/tutor/live/test_turn_orderings.py and the seeded consumer tests.
    emulator = orderly_emulator
    tutor, stream = await connected(emulator, model=model)
    greeting = await until(stream, TurnComplete)
    assert finals(greeting, "tutor") == [GREETING]
    await speak(tutor, speech(STEP.learner))
    events = await until(stream, TurnComplete)
    assert finals(events, "learner") == [STEP.learner]
    assert finals(events, "tutor") == [STEP.reply]
    kinds = [type(e) for e in events]
    learner_final = next(i for i, e in enumerate(events) if isinstance(e, Transcript) and e.final)
    assert kinds[learner_final + 1] is SpeechEnded
    assert learner_final < kinds.index(CorrectionNoted) < kinds.index(TutorAudio)
    [correction] = [e for e in events if isinstance(e, CorrectionNoted)]
    assert (correction.original, correction.kind) == (STEP.learner, STEP.kind)
    assert correction.corrected == STEP.corrected(STEP.learner)
    assert PhraseNoted(*STEP.phrase) in events  # type: ignore[misc]
    # The exact 24 kHz PCM the emulator synthesized for the reply.
    assert tutor_pcm(events) == synthesize(STEP.reply, "es", OUTPUT_RATE, WPM["A"])
    assert kinds[-2:] == [Transcript, TurnComplete] and Usage in kinds
    record = emulator.sessions[0]
    assert record.tool_calls_answered == [call["id"] for call in record.tool_calls_sent]
    assert record.api_version == "v1beta"
    await tutor.close()


async def test_typed_text_gets_a_corrected_reply(emulator: Emulator) -> None:
    tutor, stream = await connected(emulator)
    await until(stream, TurnComplete)
    await tutor.send_text(STEP.learner)
    events = await until(stream, TurnComplete)
    assert any(isinstance(e, CorrectionNoted) for e in events)
    # The consumer records typed text itself; the emulator's echo is not a second line.
    assert not [e for e in events if isinstance(e, Transcript) and e.speaker == "learner"]
    assert finals(events, "tutor") == [STEP.reply]
    await tutor.close()


async def test_talking_over_the_tutor_interrupts_it(realtime_emulator: Emulator) -> None:
    tutor, stream = await connected(realtime_emulator)
    await until(stream, TutorAudio)  # the greeting has started playing
    await speak(tutor, speech(STEP.learner))
    events = await until(stream, TurnComplete)
    assert Interrupted() in events
    assert events[-1] == TurnComplete(interrupted=True)
    [cut] = [e for e in events if isinstance(e, Transcript) and e.final]
    assert cut.interrupted and GREETING.startswith(cut.text.rstrip("."))
    await tutor.close()


async def test_go_away_reconnects_once_with_the_handle_and_never_greets_again(
    emulator: Emulator,
) -> None:
    emulator.inject(Fault("goaway", after_turns=1, delay=0.5))
    tutor, stream = await connected(emulator)
    greeting = await until(stream, Resumed)
    assert [e for e in greeting if isinstance(e, Reconnecting | Resumed)] == [
        Reconnecting(attempt=1, reason="go_away"),
        Resumed(reconnects=1),
    ]
    await speak(tutor, speech(STEP.learner))
    events = await until(stream, TurnComplete)
    assert finals(events, "tutor") == [STEP.reply]  # the script went on: context resumed
    first, second = emulator.sessions
    assert second.resumed_from == first.handles_issued[-1]
    assert (first.tutor_turns, second.tutor_turns) == ([GREETING], [STEP.reply])
    assert tutor.reconnects == 1
    await tutor.close()


async def test_an_abrupt_close_resumes_and_the_conversation_goes_on(emulator: Emulator) -> None:
    emulator.inject(Fault("abort", after_turns=1))
    tutor, stream = await connected(emulator)
    events = await until(stream, Resumed)
    assert Reconnecting(attempt=1, reason="close_1006") in events
    await speak(tutor, speech(STEP.learner))
    assert finals(await until(stream, TurnComplete), "tutor") == [STEP.reply]
    assert emulator.sessions[1].resumed_from is not None
    await tutor.close()


async def test_repeated_1011_and_abrupt_closes_end_in_one_clear_error(emulator: Emulator) -> None:
    emulator.inject(Fault("close"), Fault("abort"), Fault("close", reason="The service is down."))
    tutor, stream = await connected(emulator, max_retries=2)
    events = [e async for e in stream]
    # Each connection gets as far as setupComplete (Resumed) before it fails again.
    assert events[:-1] == [
        Reconnecting(attempt=1, reason="close_1011"),
        Resumed(reconnects=1),
        Reconnecting(attempt=2, reason="close_1006"),
        Resumed(reconnects=2),
    ]
    error = events[-1]
    assert isinstance(error, Error) and (error.code, error.fatal) == ("upstream_unavailable", True)
    assert [r.fault for r in emulator.sessions] == ["close", "abort", "close"]
    await tutor.close()


async def test_a_bad_key_is_one_error_without_retries(emulator: Emulator) -> None:
    tutor, stream = await connected(emulator, api_key="invalid-key")
    events = [e async for e in stream]
    assert len(events) == 1 and isinstance(events[0], Error)
    assert events[0].code == "upstream_auth" and "invalid-key" not in events[0].message
    assert len(emulator.sessions) == 1
    await tutor.close()


async def test_an_unknown_model_is_one_config_error(emulator: Emulator) -> None:
    tutor, stream = await connected(emulator, model="gemini-0.1-nonexistent")
    [error] = [e async for e in stream]
    assert isinstance(error, Error) and error.code == "upstream_config"
    assert error.message == REFUSED  # ours, to translate: not the service's "not found"
    await tutor.close()


async def test_a_refused_upgrade_is_one_auth_error(emulator: Emulator) -> None:
    emulator.inject(Fault("reject", status=403))
    tutor, stream = await connected(emulator)
    [error] = [e async for e in stream]
    assert isinstance(error, Error) and error.code == "upstream_auth"
    await tutor.close()


async def test_a_missing_setup_complete_times_out_and_the_retry_works(emulator: Emulator) -> None:
    emulator.inject(Fault("no_setup"))
    tutor, stream = await connected(emulator, connect_timeout=0.3)
    assert finals(await until(stream, TurnComplete), "tutor") == [GREETING]
    assert [r.fault for r in emulator.sessions] == ["no_setup", None]
    await tutor.close()


async def test_the_text_fallback_answers_over_http(emulator: Emulator) -> None:
    client = make_client(api_key="test-key", base_url=emulator.base_url, ca_file=emulator.ca_file)
    reply = await generate_text_reply(
        client,
        model="gemini-3.5-flash",
        system_instruction=INSTRUCTION,
        history=[("tutor", GREETING)],
        message=STEP.learner,
    )
    assert STEP.reply in reply.text
    assert STEP.corrected(STEP.learner).rstrip(".") in reply.text  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("api_key", "model", "code"),
    [("invalid-key", "gemini-3.5-flash", "upstream_auth"), ("k", "nope", "upstream_config")],
)
async def test_text_fallback_refusals_are_clear(
    emulator: Emulator, api_key: str, model: str, code: str
) -> None:
    client = make_client(api_key=api_key, base_url=emulator.base_url, ca_file=emulator.ca_file)
    with pytest.raises(TutorUnavailable) as caught:
        await generate_text_reply(
            client, model=model, system_instruction=INSTRUCTION, history=[], message="Hola"
        )
    assert caught.value.code == code and api_key not in str(caught.value)
