"""A group room's Live session on the emulator: context updates say who speaks, the moderator
answers that learner by name and invites the quietest. Real SDK over TLS (a plain websockets
client for the malformed updates the SDK's models cannot express)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets
from google.genai import types

from tests.tutor.emulator.conftest import Turn, live_config, make_client, say, silence, speech
from tests.tutor.emulator.test_server import raw
from tutor.emulator import Emulator
from tutor.emulator.behaviour import Behaviour
from tutor.emulator.scripts import load
from tutor.emulator.setup import INVALID_ARGUMENT, NOT_SUPPORTED
from tutor.prompts import TOOL_DECLARATIONS
from tutor.prompts.group import (
    GroupMemberBrief,
    MemberTalk,
    build_group_instruction,
    group_opener_text,
    room_state,
)

LIVE = "gemini-3.8-live"  # the model the project uses; contextUpdate is a 3.8 message here
ANA, BEA, CIRO = (
    GroupMemberBrief(12, "Ana", "en"),
    GroupMemberBrief(15, "Bea", "de"),
    GroupMemberBrief(17, "Ciro", "it"),
)
MEMBERS = [ANA, BEA, CIRO]


def instruction(
    lang: str = "es", holder: int | None = None, talk: dict[int, int] | None = None
) -> str:
    state = room_state(
        members=MEMBERS,
        talk=[MemberTalk(k, v) for k, v in (talk or {}).items()],
        holder=holder,
    )
    return build_group_instruction(language=lang, level="A2", members=MEMBERS, room=state)


def config(text: str) -> types.LiveConnectConfig:
    cfg = live_config(language_code=None, instruction=text, tools=False)
    declarations = [types.FunctionDeclaration(**d) for d in TOOL_DECLARATIONS]
    cfg.tools = [types.Tool(function_declarations=declarations)]
    return cfg


@pytest.fixture
async def emu() -> Emulator:  # type: ignore[misc]
    """The realistic default: pieces and NON_BLOCKING calls scattered by seed."""
    async with Emulator(pace=0, behaviour=Behaviour(seed=21)) as emu:
        yield emu


async def turn(session: Any) -> Turn:
    """One turn (to IDLE on 3.8), every call answered SILENT as the bridge answers it, so the
    tutor never speaks about a note in a turn of its own."""
    result = Turn()
    async for message in session.receive():
        result.messages.append(message)
        for fc in message.tool_call.function_calls if message.tool_call else []:
            response = types.FunctionResponse(
                id=fc.id,
                name=fc.name,
                response={"result": "ok"},
                scheduling=types.FunctionResponseScheduling.SILENT,
            )
            await session.send_tool_response(function_responses=[response])
    return result


async def greet(session: Any, lang: str = "es") -> Turn:
    opener = group_opener_text(language=lang, level="A2", members=MEMBERS, topic=None)
    await session.send_realtime_input(text=opener)
    return await turn(session)


async def speak(session: Any, lang: str = "es") -> Turn:
    await say(session, speech("una frase cualquiera", lang) + silence(1.0))
    return await turn(session)


async def test_a_context_update_naming_ana_makes_the_next_reply_address_ana(
    emu: Emulator,
) -> None:
    async with make_client(emu).aio.live.connect(model=LIVE, config=config(instruction())) as s:
        greeting = await greet(s)
        assert "Hola, Ana, Bea y Ciro." in greeting.said
        await s.send_context_update(system_instruction=instruction(holder=ANA.member_id))
        to_ana = await speak(s)
        await s.send_context_update(system_instruction=instruction(holder=BEA.member_id))
        to_bea = await speak(s)
    assert to_ana.said.startswith("Gracias, Ana.")
    assert to_bea.said.startswith("Gracias, Bea.")
    record = emu.sessions[0]
    assert record.context_updates == 2
    assert record.learner_speakers == ["Ana", "Bea"]
    # the planted error is noted for the line of the learner who said it
    step = load("es").bands["A"].steps[0]
    assert record.learner_turns[0] == step.learner
    corrections = [c for c in record.tool_calls_sent if c["name"] == "note_correction"]
    assert corrections[0]["args"]["original"] == step.learner
    assert corrections[0]["learner_turn"] == 0


async def test_without_an_update_the_tutor_cannot_know_who_spoke(emu: Emulator) -> None:
    """The instruction names Bea as speaking: a server that forgets to update it gets replies
    for Bea whoever really spoke."""
    text = instruction(holder=BEA.member_id)
    async with make_client(emu).aio.live.connect(model=LIVE, config=config(text)) as s:
        await greet(s)
        first, second = await speak(s), await speak(s)
    assert first.said.startswith("Gracias, Bea.") and second.said.startswith("Gracias, Bea.")


async def test_an_update_sent_during_a_reply_applies_after_it(emu: Emulator) -> None:
    """Updates are processed in order with the input (SDK `send_context_update` docs): the
    reply to speech that came before the update is still for the speaker before it."""
    text = instruction(holder=ANA.member_id)
    async with make_client(emu).aio.live.connect(model=LIVE, config=config(text)) as s:
        await greet(s)
        await say(s, speech("una frase cualquiera") + silence(1.0))
        await s.send_context_update(system_instruction=instruction(holder=CIRO.member_id))
        before, after = await turn(s), await speak(s)
    assert before.said.startswith("Gracias, Ana.")
    assert after.said.startswith("Gracias, Ciro.")


@pytest.mark.parametrize(
    ("lang", "invite"), [("es", "Ciro, ¿y tú?"), ("en", "Ciro, what about you?")]
)
async def test_a_group_script_invites_the_quietest_member(
    emu: Emulator, lang: str, invite: str
) -> None:
    talk = {ANA.member_id: 9000, BEA.member_id: 4000, CIRO.member_id: 300}
    text = instruction(lang, holder=ANA.member_id, talk=talk)
    async with make_client(emu).aio.live.connect(model=LIVE, config=config(text)) as s:
        await greet(s, lang)
        reply = await speak(s, lang)
        await s.send_context_update(system_instruction=instruction(lang, BEA.member_id, talk))
        second = await speak(s, lang)
    assert invite in reply.said
    # the next turn asks one learner to respond to another: the quietest (Ciro) to this
    # speaker, not Ana, who spoke last and has said most
    assert (
        "Ciro, ¿estás de acuerdo con Bea?" if lang == "es" else "Ciro, do you agree with Bea?"
    ) in second.said
    assert "Ana," not in second.said


async def test_cleared_tools_stop_the_notes(emu: Emulator) -> None:
    text = instruction(holder=ANA.member_id)
    async with make_client(emu).aio.live.connect(model=LIVE, config=config(text)) as s:
        await greet(s)
        await s.send_context_update(tools=[])
        await speak(s)
    assert emu.sessions[0].tool_calls_sent == []


TEXT = {"parts": [{"text": "x"}]}
AUDIO_PART = {"inlineData": {"data": "AA==", "mimeType": "audio/pcm"}}
MALFORMED = {
    "unknown field": {"contextUpdate": {"systemInstruction": TEXT, "turnComplete": True}},
    "empty": {"contextUpdate": {}},
    "not a content": {"contextUpdate": {"systemInstruction": "plain text"}},
    "no parts": {"contextUpdate": {"systemInstruction": {"role": "user"}}},
    "empty parts": {"contextUpdate": {"systemInstruction": {"parts": []}}},
    "a part that is not text": {"contextUpdate": {"systemInstruction": {"parts": [AUDIO_PART]}}},
    "text that is not a string": {"contextUpdate": {"systemInstruction": {"parts": [{"text": 3}]}}},
    "a model role": {"contextUpdate": {"systemInstruction": {**TEXT, "role": "model"}}},
    "bare tools": {"contextUpdate": {"tools": [{"functionDeclarations": []}]}},
    "a bad tool": {"contextUpdate": {"tools": {"tools": [{"retrieval": {}}]}}},
    "two messages": {"contextUpdate": {"systemInstruction": TEXT}, "realtimeInput": {"text": "hi"}},
}


async def _closed_by(emu: Emulator, model: str, message: dict[str, Any]) -> tuple[int, str]:
    async with raw(emu) as ws:
        await ws.send(json.dumps({"setup": {"model": f"models/{model}"}}))
        assert json.loads(await ws.recv()) == {"setupComplete": {}}
        await ws.send(json.dumps(message))
        with pytest.raises(websockets.ConnectionClosedError):
            while True:
                await ws.recv()
    assert ws.close_code is not None
    return ws.close_code, ws.close_reason or ""


@pytest.mark.parametrize("message", MALFORMED.values(), ids=MALFORMED.keys())
async def test_a_malformed_context_update_closes_1007(
    emu: Emulator, message: dict[str, Any]
) -> None:
    assert await _closed_by(emu, LIVE, message) == (1007, INVALID_ARGUMENT)


async def test_a_well_formed_update_from_a_raw_client_is_applied(emu: Emulator) -> None:
    async with raw(emu) as ws:
        await ws.send(json.dumps({"setup": {"model": f"models/{LIVE}"}}))
        await ws.recv()
        update = {
            "system_instruction": {"parts": [{"text": instruction(holder=17)}], "role": "system"}
        }
        await ws.send(json.dumps({"contextUpdate": update}))
        await ws.send(json.dumps({"realtime_input": {"text": "hola"}}))
        said = ""
        async with asyncio.timeout(10):
            while "Ciro" not in said:
                message = json.loads(await ws.recv())
                content = message.get("serverContent") or {}
                said += (content.get("outputTranscription") or {}).get("text", "")
    assert emu.sessions[0].context_updates == 1


async def test_models_before_3_8_refuse_a_context_update(emu: Emulator) -> None:
    message = {"contextUpdate": {"systemInstruction": {"parts": [{"text": "x"}]}}}
    for model in ("gemini-3.1-flash-live-preview", "gemini-2.5-flash-native-audio-preview-12-2025"):
        assert await _closed_by(emu, model, message) == (1008, NOT_SUPPORTED)
