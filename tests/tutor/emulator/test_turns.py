"""Model turns as the real SDK sees them over TLS (tutor/emulator/turns.py)."""

from __future__ import annotations

import asyncio

import numpy as np
from google.genai import types

from tests.tutor.emulator.conftest import (
    MODEL,
    NOTE_CORRECTION,
    OPENER,
    Turn,
    live_config,
    make_client,
    next_turn,
    say,
    silence,
    speech,
)
from tutor.emulator import Emulator
from tutor.emulator.behaviour import Behaviour
from tutor.emulator.dialogue import new_state, plan_greeting
from tutor.emulator.scripts import load
from tutor.emulator.turns import CHUNK_BYTES, WPM
from tutor.emulator.voice import synthesize

STEP = load("es").bands["A"].steps[0]


async def greet(session: object) -> Turn:
    await session.send_realtime_input(text=OPENER)  # type: ignore[attr-defined]
    return await next_turn(session)


async def test_it_greets_in_a_synthesized_24k_voice_when_the_opener_arrives(
    emulator: Emulator,
) -> None:
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        turn = await greet(s)
    greeting = plan_greeting(new_state("es-ES", live_config().system_instruction)).reply
    assert turn.said == greeting
    assert "Ordering at a café" in greeting and "demostración" in greeting
    assert turn.audio == synthesize(greeting, "es", 24000, WPM["A"])
    assert {blob.mime_type for blob in turn.audio_parts} == {"audio/pcm;rate=24000"}
    assert max(len(blob.data or b"") for blob in turn.audio_parts) <= CHUNK_BYTES
    assert turn.kinds() == ["audio", "generation", "turn"]
    assert turn.messages[-1].usage_metadata.total_token_count > 0


async def test_the_greeting_is_a_voice_not_silence(emulator: Emulator) -> None:
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        turn = await greet(s)
    samples = np.frombuffer(turn.audio, dtype=np.int16).astype(np.float64)
    assert np.sqrt(np.mean(samples**2)) > 1000


async def test_a_spoken_turn_is_transcribed_corrected_and_answered(
    orderly_emulator: Emulator,
) -> None:
    emulator = orderly_emulator  # pins the tidy sequence
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        await greet(s)
        await say(s, speech(STEP.learner) + silence(1.0))
        turn = await next_turn(s)
    assert turn.heard == STEP.learner
    assert turn.kinds() == ["heard", "tool", "audio", "generation", "turn"]
    call, phrase = turn.tool_calls
    assert (call.name, phrase.name) == ("note_correction", "note_phrase")
    assert call.args == {
        "original": STEP.learner,
        "corrected": "Yo estoy cansado hoy, trabajé mucho.",
        "explanation": STEP.explanation,
        "kind": "grammar",
    }
    assert turn.said == STEP.reply
    assert emulator.sessions[0].learner_turns == [STEP.learner]
    assert emulator.sessions[0].tool_calls_answered == [call.id, phrase.id]


async def test_it_sends_note_phrase_when_the_step_has_one_and_it_is_declared(
    emulator: Emulator,
) -> None:
    phrase = types.FunctionDeclaration(name="note_phrase", description="Record a phrase.")
    config = live_config(tools=False)
    config.tools = [types.Tool(function_declarations=[phrase])]
    async with make_client(emulator).aio.live.connect(model=MODEL, config=config) as s:
        await greet(s)
        await say(s, speech(STEP.learner) + silence(1.0))
        turn = await next_turn(s)
    assert [(c.name, c.args) for c in turn.tool_calls] == [
        ("note_phrase", {"text": "estar cansado", "translation": "to be tired"})
    ]


async def test_the_tutor_stays_silent_until_the_blocking_tool_call_is_answered(
    emulator: Emulator,
) -> None:
    config = live_config(tools=False)
    config.tools = [types.Tool(function_declarations=[NOTE_CORRECTION])]
    async with make_client(emulator).aio.live.connect(model=MODEL, config=config) as s:
        await greet(s)
        await say(s, speech(STEP.learner) + silence(1.0))
        messages = aiter(s.receive())
        while not (message := await anext(messages)).tool_call:
            pass
        waiting = asyncio.ensure_future(anext(messages))
        done, _ = await asyncio.wait({waiting}, timeout=0.3)
        assert not done
        call = message.tool_call.function_calls[0]
        response = types.FunctionResponse(id=call.id, name=call.name, response={"ok": True})
        await s.send_tool_response(function_responses=[response])
        assert (await waiting).data


async def test_typed_text_is_echoed_and_its_error_corrected(orderly_emulator: Emulator) -> None:
    emulator = orderly_emulator  # pins the tidy sequence
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        await greet(s)
        await s.send_realtime_input(text="Hoy soy cansada.")
        turn = await next_turn(s)
    assert turn.heard == "Hoy soy cansada."
    assert turn.tool_calls[0].args["corrected"] == "Hoy estoy cansada."


async def test_typed_text_without_a_known_error_gets_a_follow_up_and_no_correction(
    emulator: Emulator,
) -> None:
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        await greet(s)
        await s.send_realtime_input(text="Me llamo Alice.")
        turn = await next_turn(s)
    assert turn.tool_calls == []
    assert turn.said == load("es").followups[0]


async def test_speech_during_the_reply_interrupts_it(realtime_emulator: Emulator) -> None:
    client = make_client(realtime_emulator)
    async with client.aio.live.connect(model=MODEL, config=live_config()) as s:
        await s.send_realtime_input(text=OPENER)
        turn = Turn()
        async for message in s.receive():
            turn.messages.append(message)
            if message.data and len(turn.audio_parts) == 1:
                await say(s, speech("Perdona, una pregunta."))
    assert turn.kinds() == ["audio", "interrupted", "turn"]
    record = realtime_emulator.sessions[0]
    assert record.interrupted_turns == 1
    assert record.audio_bytes_out < len(synthesize(plan_greeting_text(), "es", 24000, WPM["A"]))


def plan_greeting_text() -> str:
    return plan_greeting(new_state("es-ES", live_config().system_instruction)).reply


async def test_speech_during_a_pending_tool_call_cancels_it(orderly_emulator: Emulator) -> None:
    emulator = orderly_emulator  # pins the tidy sequence
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        await greet(s)
        await say(s, speech(STEP.learner) + silence(1.0))
        turn = Turn()
        async for message in s.receive():
            turn.messages.append(message)
            if message.tool_call:
                await say(s, speech("No, espera."))
        after = await anext(aiter(s.receive()))
    assert turn.kinds() == ["heard", "tool", "interrupted", "turn"]
    assert after.tool_call_cancellation.ids == [turn.tool_calls[0].id]


async def test_2_5_models_send_audio_and_captions_as_separate_events(
    emulator: Emulator,
) -> None:
    model = "gemini-2.5-flash-native-audio-preview-12-2025"
    async with make_client(emulator).aio.live.connect(model=model, config=live_config()) as s:
        turn = await greet(s)
    both = [c for c in turn.contents() if c.model_turn and c.output_transcription]
    assert both == [] and turn.said == plan_greeting_text()


async def test_3_x_models_may_carry_a_caption_on_an_audio_event(emulator: Emulator) -> None:
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        turn = await greet(s)
    assert any(c.model_turn and c.output_transcription for c in turn.contents())


async def _spoken_turn(seed: int) -> tuple[list[str], list[dict[str, object]]]:
    """One spoken turn on 3.8 (NON_BLOCKING calls, interactionStatus)."""
    async with Emulator(pace=0, behaviour=Behaviour(seed=seed)) as emu:
        client = make_client(emu).aio.live
        async with client.connect(model="gemini-3.8-live", config=live_config()) as s:
            await greet(s)
            await say(s, speech(STEP.learner) + silence(1.0))
            # receive() runs to interactionStatus IDLE: late pieces and calls are inside it.
            turn = await next_turn(s)
        record = emu.sessions[0]
    assert turn.heard == STEP.learner  # however cut and placed, every word arrives once
    assert record.learner_turns == [STEP.learner]
    return turn.kinds(), [{k: v for k, v in c.items() if k != "id"} for c in record.tool_calls_sent]


async def test_realistic_orderings_are_reproducible_by_seed_and_vary_between_seeds() -> None:
    """The default scatters input pieces and NON_BLOCKING calls; the same seed replays it."""
    first = await _spoken_turn(7)
    assert first == await _spoken_turn(7)
    draws = [first] + [await _spoken_turn(seed) for seed in (1, 2, 3, 4)]
    assert len({tuple(kinds) for kinds, _ in draws}) > 1  # not one fixed order
    wheres = {call["where"] for _, calls in draws for call in calls}
    assert wheres - {"before"}  # calls also during, after or late
    assert all(call["learner_turn"] == 0 for _, calls in draws for call in calls)
