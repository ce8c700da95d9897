"""The text fallback, through the SDK's generate_content (tutor/emulator/text.py)."""

from __future__ import annotations

import ssl

import aiohttp
import pytest
from google.genai import errors, types

from tests.tutor.emulator.conftest import make_client
from tutor.emulator import Emulator
from tutor.emulator.scripts import load

FRENCH = "You are a warm, patient French conversation tutor. Their French level is CEFR A1."


def config(instruction: str = FRENCH) -> types.GenerateContentConfig:
    return types.GenerateContentConfig(system_instruction=instruction)


def user(text: str) -> types.Content:
    return types.Content(role="user", parts=[types.Part(text=text)])


def model(text: str) -> types.Content:
    return types.Content(role="model", parts=[types.Part(text=text)])


async def test_a_known_error_gets_a_gentle_recast_in_the_target_language(
    emulator: Emulator,
) -> None:
    contents = [user("(Alice has just joined.)"), model("Bonjour !"), user("Je suis vingt ans.")]
    reply = await make_client(emulator).aio.models.generate_content(
        model="gemini-2.5-flash", contents=contents, config=config()
    )
    assert reply.text == (
        "Petite remarque : on dit « J'ai vingt ans ». " + load("fr").bands["A"].steps[0].reply
    )
    assert reply.candidates[0].finish_reason == types.FinishReason.STOP
    assert reply.usage_metadata.total_token_count > 0


async def test_the_opener_alone_gets_the_greeting(emulator: Emulator) -> None:
    reply = await make_client(emulator).aio.models.generate_content(
        model="gemini-2.5-flash", contents="(Alice has just joined.)", config=config()
    )
    assert reply.text == (
        "Tuteur de démonstration : je ne comprends pas ce qui est dit. Bonjour ! "
        + load("fr").bands["A"].greeting
    )


async def test_text_without_a_known_error_gets_a_follow_up(emulator: Emulator) -> None:
    reply = await make_client(emulator).aio.models.generate_content(
        model="gemini-2.5-flash", contents="Salut, je m'appelle Alice.", config=config()
    )
    assert reply.text == load("fr").followups[0]


async def test_streaming_returns_the_same_reply(emulator: Emulator) -> None:
    client = make_client(emulator)
    stream = await client.aio.models.generate_content_stream(
        model="gemini-2.5-flash", contents="Je suis vingt ans.", config=config()
    )
    chunks = [chunk.text async for chunk in stream]
    assert "".join(chunks).startswith("Petite remarque")


async def test_a_bad_key_is_a_400_client_error(emulator: Emulator) -> None:
    client = make_client(emulator, api_key="invalid-key")
    with pytest.raises(errors.ClientError) as caught:
        await client.aio.models.generate_content(model="gemini-2.5-flash", contents="Hola")
    assert caught.value.code == 400
    assert caught.value.status == "INVALID_ARGUMENT"


async def test_a_missing_key_is_a_403(emulator: Emulator) -> None:
    context = ssl.create_default_context(cafile=emulator.ca_file)
    url = f"{emulator.base_url}/v1beta/models/gemini-2.5-flash:generateContent"
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as session,
        session.post(url, json={"contents": []}) as response,
    ):
        assert response.status == 403
        assert (await response.json())["error"]["status"] == "PERMISSION_DENIED"


async def test_an_unknown_model_is_a_404(emulator: Emulator) -> None:
    with pytest.raises(errors.ClientError) as caught:
        await make_client(emulator).aio.models.generate_content(model="bard-1", contents="Hola")
    assert caught.value.code == 404
