"""Strict setup validation (tutor/emulator/strict.py) and the language the emulator speaks.

Every refusal goes through the real SDK where the SDK can express the mistake; unknown fields
(which the SDK's pydantic models cannot send) go through a plain websockets client.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets
from google.genai import errors, types

from tests.tutor.emulator.conftest import MODEL, live_config, make_client
from tests.tutor.emulator.test_server import raw
from tutor.emulator import Emulator
from tutor.emulator.setup import INVALID_ARGUMENT, MODELS, NOT_SUPPORTED
from tutor.live import config as bridge
from tutor.prompts import (
    TOOL_DECLARATIONS,
    LearnerBrief,
    build_system_instruction,
    speech_language_code,
    voice_for,
)

_STRING = types.Schema(type=types.Type.STRING)


async def refusal(emu: Emulator, config: types.LiveConnectConfig, **kw: Any) -> errors.APIError:
    model = kw.pop("model", MODEL)
    # Bounded: an emulator that wrongly accepts would otherwise keep the session open.
    with pytest.raises(errors.APIError) as caught:
        async with asyncio.timeout(10):
            async with make_client(emu, **kw).aio.live.connect(model=model, config=config) as s:
                async for _ in s.receive():
                    pass
    return caught.value


@pytest.mark.parametrize("model", sorted(MODELS))
async def test_the_bridges_own_setup_passes_for_every_model(emulator: Emulator, model: str) -> None:
    """What tutor.live really sends (prompts, tools, VAD, compression, resumption)."""
    learner = LearnerBrief("Alice", "fr", "en", "B1", "explain")
    settings = bridge.LiveSettings(
        model=model,
        system_instruction=build_system_instruction(learner=learner, topic=None),
        voice=voice_for("fr"),
        language_code=speech_language_code("fr"),
        tools=TOOL_DECLARATIONS,
    )
    client = bridge.make_client(api_key="k", base_url=emulator.base_url, ca_file=emulator.ca_file)
    config = bridge.connect_config(settings, handle=None)
    async with client.aio.live.connect(model=model, config=config) as session:
        # connect() returned: setupComplete came first. A first turn shows the session lives
        # on (a handle after setupComplete is drawn per connection, so it is not waited for).
        await session.send_realtime_input(text="(Alice has just joined.)")
        async with asyncio.timeout(30):  # guards a hang; nothing here measures time
            message = await anext(session.receive().__aiter__())
        assert message.server_content or message.session_resumption_update
    record = emulator.sessions[0]
    assert (record.model, record.language) == (model, "fr")
    assert record.close_code in (None, 1000)


def _declaration(schema: types.Schema, **extra: Any) -> list[types.Tool]:
    decl = types.FunctionDeclaration(name="note", description="d", parameters=schema, **extra)
    return [types.Tool(function_declarations=[decl])]


BAD_SCHEMAS = {
    "enum on an integer": (
        types.Schema(
            type=types.Type.OBJECT,
            properties={"n": types.Schema(type=types.Type.INTEGER, enum=["1", "2"])},
        ),
        "parameters.properties[n].enum: only allowed for STRING type",
    ),
    "required names a missing property": (
        types.Schema(type=types.Type.OBJECT, properties={"a": _STRING}, required=["a", "b"]),
        "parameters.required[1]: property is not defined",
    ),
    "array without items": (
        types.Schema(
            type=types.Type.OBJECT, properties={"xs": types.Schema(type=types.Type.ARRAY)}
        ),
        "parameters.properties[xs].items: missing field.",
    ),
    "properties on a string": (
        types.Schema(type=types.Type.STRING, properties={"a": _STRING}),
        "parameters.properties: only allowed for OBJECT type",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_SCHEMAS))
async def test_a_bad_tool_schema_is_refused_with_1007_and_its_path(
    emulator: Emulator, case: str
) -> None:
    schema, where = BAD_SCHEMAS[case]
    config = live_config().model_copy(update={"tools": _declaration(schema)})
    error = await refusal(emulator, config)
    assert error.code == 1007
    expected = f"* BidiGenerateContentRequest.setup.tools[0].function_declarations[0].{where}"
    assert str(error.details) == expected[:123]


PER_MODEL = [
    # (model, config change, version, code, reason)
    ("gemini-3.8-live", {"proactivity": types.ProactivityConfig(proactive_audio=False)},
     "v1beta", 1007, INVALID_ARGUMENT),
    ("gemini-3.8-live", {"enable_affective_dialog": True}, "v1beta", 1008, NOT_SUPPORTED),
    ("gemini-3.8-live",
     {"thinking_config": types.ThinkingConfig(thinking_level=types.ThinkingLevel.LOW)},
     "v1beta", 1008, NOT_SUPPORTED),
    ("gemini-3.1-flash-live-preview",
     {"proactivity": types.ProactivityConfig(proactive_audio=True)},
     "v1beta", 1008, NOT_SUPPORTED),
    ("gemini-3.1-flash-live-preview",
     {"tools": _declaration(types.Schema(type=types.Type.OBJECT, properties={"a": _STRING}),
                            behavior=types.Behavior.NON_BLOCKING)},
     "v1beta", 1008, NOT_SUPPORTED),
    ("gemini-2.5-flash-native-audio-preview-12-2025", {"enable_affective_dialog": True},
     "v1beta", 1008, NOT_SUPPORTED),
]  # fmt: skip


@pytest.mark.parametrize(("model", "change", "version", "code", "reason"), PER_MODEL)
async def test_options_a_model_does_not_take_are_refused(
    emulator: Emulator, model: str, change: dict[str, Any], version: str, code: int, reason: str
) -> None:
    config = live_config().model_copy(update=change)
    error = await refusal(emulator, config, model=model, api_version=version)
    assert (error.code, error.details) == (code, reason)


async def test_2_5_takes_its_preview_features_on_v1alpha_only(emulator: Emulator) -> None:
    model = "gemini-2.5-flash-native-audio-preview-12-2025"
    config = live_config(enable_affective_dialog=True)
    async with make_client(emulator, api_version="v1alpha").aio.live.connect(
        model=model, config=config
    ):
        pass
    assert emulator.sessions[0].close_code in (None, 1000)


async def test_the_v1_path_is_refused_like_the_real_service(emulator: Emulator) -> None:
    """SDK 3.x defaults to v1, where Live does not exist (docs/gemini-live.md §1.4)."""
    error = await refusal(emulator, live_config(), api_version="v1")
    assert error.code == 1008
    assert str(error.details).startswith(f"models/{MODEL} is not found for API version v1,")


UNKNOWN_FIELDS = {
    "top level": {"fancyMode": True},
    "generationConfig": {"generationConfig": {"responseModalities": ["AUDIO"], "fancy": 1}},
    "snake_case in speechConfig": {"generationConfig": {"speech_config": {"voice_cfg": {}}}},
    "an enum value": {"realtimeInputConfig": {"activityHandling": "SOMETIMES_INTERRUPTS"}},
    "a tool kind": {"tools": [{"functionDeklarations": []}]},
    "a schema field inside a property": {
        "tools": [
            {
                "functionDeclarations": [
                    {
                        "name": "f",
                        "parameters": {
                            "type": "OBJECT",
                            "properties": {"a": {"type": "STRING", "max_lenght": 3}},
                        },
                    }
                ]
            }
        ]
    },
    "an unknown schema type": {
        "tools": [{"functionDeclarations": [{"name": "f", "parameters": {"type": "TEXT"}}]}]
    },
}


@pytest.mark.parametrize("case", sorted(UNKNOWN_FIELDS))
async def test_unknown_fields_and_values_close_with_1007(emulator: Emulator, case: str) -> None:
    setup = {"model": f"models/{MODEL}", **UNKNOWN_FIELDS[case]}
    async with raw(emulator) as ws:
        await ws.send(json.dumps({"setup": setup}))
        with pytest.raises(websockets.ConnectionClosedError):
            await ws.recv()
    assert (ws.close_code, ws.close_reason) == (1007, INVALID_ARGUMENT)


async def test_both_key_casings_and_lower_case_schema_types_pass(emulator: Emulator) -> None:
    """Google's proto-JSON parser takes either field spelling; raw REST users send "object"."""
    setup = {
        "model": f"models/{MODEL}",
        "generation_config": {"response_modalities": ["AUDIO"]},
        "tools": [
            {
                "function_declarations": [
                    {
                        "name": "f",
                        "parameters": {
                            "type": "object",
                            "properties": {"xs": {"type": "array", "items": {"type": "string"}}},
                            "required": ["xs"],
                        },
                    }
                ]
            }
        ],
    }
    async with raw(emulator) as ws:
        await ws.send(json.dumps({"setup": setup}))
        assert json.loads(await ws.recv()) == {"setupComplete": {}}


async def test_the_instruction_decides_the_language_not_language_code(
    emulator: Emulator,
) -> None:
    """Native audio ignores speechConfig.languageCode (adk-python #5542)."""
    config = live_config(language_code="fr-FR")  # the instruction says Spanish
    async with make_client(emulator).aio.live.connect(model=MODEL, config=config):
        pass
    assert emulator.sessions[0].language == "es"
