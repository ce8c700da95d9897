"""What the emulator does with a tool answer's `scheduling`, and the turns a proactive model
completes without answering (turnCompleteReason NEED_MORE_INPUT). Real SDK over TLS, except
where the SDK's models cannot express the message (a plain websockets client)."""

from __future__ import annotations

import json

import pytest
import websockets
from google.genai import types

from tests.audio import encode, tone_array
from tests.tutor.emulator.conftest import (
    NOTE_CORRECTION,
    Turn,
    live_config,
    make_client,
    next_turn,
    say,
    silence,
    speech,
)
from tests.tutor.emulator.test_server import raw
from tests.tutor.emulator.test_turns import STEP, greet
from tutor.emulator import Emulator
from tutor.emulator.behaviour import Behaviour
from tutor.emulator.scripts import load
from tutor.emulator.setup import INVALID_ARGUMENT

LIVE = "gemini-3.8-live"  # NON_BLOCKING calls by default
RECAST = "Por cierto, se dice: «Yo estoy cansado hoy, trabajé mucho»."


@pytest.fixture
async def orderly() -> Emulator:  # type: ignore[misc]
    """Calls before the audio (the tidy order), so where an INTERRUPT lands is known."""
    async with Emulator(pace=0, behaviour=Behaviour(orderly=True)) as emu:
        yield emu


async def _answered_turn(session: object, scheduling: str | None) -> Turn:
    """One turn, each call answered at once with `scheduling` (None: the field left out)."""
    turn = Turn()
    async for message in session.receive():  # type: ignore[attr-defined]
        turn.messages.append(message)
        for fc in message.tool_call.function_calls if message.tool_call else []:
            response = types.FunctionResponse(
                id=fc.id, name=fc.name, response={"result": "ok"}, scheduling=scheduling
            )
            await session.send_tool_response(function_responses=[response])  # type: ignore[attr-defined]
    return turn


async def _spoken(
    emu: Emulator, scheduling: str | None, follow_ups: int, model: str = LIVE
) -> list[Turn]:
    """The reply to a spoken line whose correction is answered with `scheduling` (None: the
    field left out), the `follow_ups` turns after it, then the reply to a typed line."""
    config = live_config(tools=False)
    config.tools = [types.Tool(function_declarations=[NOTE_CORRECTION])]  # one call a turn
    async with make_client(emu).aio.live.connect(model=model, config=config) as s:
        await greet(s)
        await say(s, speech(STEP.learner) + silence(1.0))
        turns = [await _answered_turn(s, scheduling)]
        turns += [await next_turn(s) for _ in range(follow_ups)]
        await s.send_realtime_input(text="Gracias.")
        turns.append(await next_turn(s))
    return turns


async def test_silent_answers_only_add_to_the_context(orderly: Emulator) -> None:
    reply, typed = await _spoken(orderly, "SILENT", follow_ups=0)
    assert reply.kinds()[-3:] == ["audio", "generation", "turn"]
    assert typed.heard == "Gracias."  # nothing was said about the note in between
    assert [r["scheduling"] for r in orderly.sessions[0].tool_responses] == ["SILENT"]


@pytest.mark.parametrize("scheduling", ["WHEN_IDLE", None], ids=["when-idle", "default"])
async def test_when_idle_answers_are_spoken_about_after_the_reply(
    orderly: Emulator, scheduling: str | None
) -> None:
    reply, follow_up, typed = await _spoken(orderly, scheduling, follow_ups=1)
    assert reply.said == STEP.reply and "interrupted" not in reply.kinds()
    assert follow_up.said == RECAST and follow_up.heard == ""
    assert follow_up.kinds() == ["audio", "generation", "turn"]
    assert typed.heard == "Gracias."
    assert orderly.sessions[0].tutor_turns[1:3] == [STEP.reply, RECAST]


async def test_an_interrupt_answer_cuts_the_reply_and_is_spoken_about_at_once(
    orderly: Emulator,
) -> None:
    reply, follow_up, typed = await _spoken(orderly, "INTERRUPT", follow_ups=1)
    assert reply.kinds()[-2:] == ["interrupted", "turn"] and reply.said != STEP.reply
    assert follow_up.said == RECAST and typed.heard == "Gracias."
    assert orderly.sessions[0].interrupted_turns == 1


async def test_scheduling_is_ignored_for_blocking_calls(orderly: Emulator) -> None:
    reply, typed = await _spoken(
        orderly, "INTERRUPT", follow_ups=0, model="gemini-3.1-flash-live-preview"
    )
    assert reply.said == STEP.reply and typed.heard == "Gracias."


async def test_a_scheduling_that_is_not_one_closes_with_1007(emulator: Emulator) -> None:
    async with raw(emulator) as ws:
        await ws.send(json.dumps({"setup": {"model": f"models/{LIVE}"}}))
        await ws.recv()
        response = {"id": "fc-1", "name": "f", "response": {}, "scheduling": "LATER"}
        await ws.send(json.dumps({"toolResponse": {"functionResponses": [response]}}))
        with pytest.raises(websockets.ConnectionClosedError):
            while True:
                await ws.recv()
    assert (ws.close_code, ws.close_reason) == (1007, INVALID_ARGUMENT)


def test_every_language_has_something_to_say_about_a_correction() -> None:
    from tutor.emulator.scheduling import about

    for lang in ("es", "en", "fr", "de", "it", "pt", "ja"):
        said = about(lang, "note_correction", {"corrected": "X."})
        assert said and "X" in said and said == said.strip()
        assert load(lang).recast.format(corrected="X").strip() == said


COUGH = encode(tone_array(300, 0.12, 16000)) + silence(0.6)  # loud for 120 ms


async def test_a_proactive_model_waits_for_more_after_a_sound_too_short_to_answer(
    emulator: Emulator,
) -> None:
    async with make_client(emulator).aio.live.connect(model=LIVE, config=live_config()) as s:
        await greet(s)
        await say(s, COUGH)
        turn = await next_turn(s)
        await say(s, speech(STEP.learner) + silence(1.0))
        answer = await next_turn(s)
    [content] = turn.contents()
    assert content.turn_complete and content.waiting_for_input
    assert content.turn_complete_reason == types.TurnCompleteReason.NEED_MORE_INPUT
    assert content.interaction_status == types.InteractionStatus.IDLE
    assert turn.audio == b"" and turn.heard == ""
    assert answer.heard == STEP.learner  # the script moved on only for the real utterance
    assert emulator.sessions[0].learner_turns == [STEP.learner]


async def test_models_without_proactive_audio_answer_a_short_sound(emulator: Emulator) -> None:
    model = "gemini-3.1-flash-live-preview"
    async with make_client(emulator).aio.live.connect(model=model, config=live_config()) as s:
        await greet(s)
        await say(s, COUGH)
        turn = await next_turn(s)
    assert turn.audio and turn.contents()[-1].turn_complete_reason is None
