"""The text fallback, through the SDK's generate_content (tutor/emulator/text.py)."""

from __future__ import annotations

import ssl

import aiohttp
import pytest
from google.genai import errors, types

from tests.tutor.emulator.conftest import NOTE_CORRECTION, NOTE_PHRASE, make_client
from tutor.emulator import Emulator, Fault, text_tools
from tutor.emulator.behaviour import Behaviour
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


# -- function calling (tutor/emulator/text_tools.py) ------------------------------------------

TOOLS = [types.Tool(function_declarations=[NOTE_CORRECTION, NOTE_PHRASE])]
SPANISH = "You are a warm, patient Spanish conversation tutor. Their Spanish level is CEFR A1."
TIRED = "Yo soy cansado hoy"


def recast() -> str:
    return load("es").recast.format(corrected="Yo estoy cansado hoy")


def tool_config(**extra: object) -> types.GenerateContentConfig:
    return types.GenerateContentConfig(
        system_instruction=SPANISH,
        tools=TOOLS,
        automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
        **extra,  # type: ignore[arg-type]
    )


def seed_where(words_wait: bool) -> int:
    return next(s for s in range(100) if text_tools.words_wait(s, False, [TIRED]) == words_wait)


def results_for(response: types.GenerateContentResponse) -> types.Content:
    parts = [
        types.Part(function_response=types.FunctionResponse(name=c.name, response={"result": "ok"}))
        for c in response.function_calls or []
    ]
    return types.Content(role="user", parts=parts)


def words(response: types.GenerateContentResponse) -> str:
    parts = response.candidates[0].content.parts or []
    return "".join(p.text for p in parts if p.text)


async def test_declared_notes_come_as_calls_with_the_words_when_orderly(
    orderly_emulator: Emulator,
) -> None:
    response = await make_client(orderly_emulator).aio.models.generate_content(
        model="gemini-3.5-flash", contents=TIRED, config=tool_config()
    )
    calls = {call.name: call.args for call in response.function_calls or []}
    assert calls["note_correction"]["corrected"] == "Yo estoy cansado hoy"
    assert calls["note_phrase"] == {"text": "estar cansado", "translation": "to be tired"}
    assert words(response).startswith(recast())  # as without tools
    assert response.candidates[0].content.parts[0].thought_signature  # Gemini 3


async def test_calls_may_come_alone_and_the_words_after_their_results() -> None:
    behaviour = Behaviour(seed=seed_where(words_wait=True))
    async with Emulator(pace=0, behaviour=behaviour) as emulator:
        client = make_client(emulator)
        first = await client.aio.models.generate_content(
            model="gemini-3.5-flash", contents=TIRED, config=tool_config()
        )
        assert len(first.function_calls or []) == 2
        assert words(first) == ""
        contents = [user(TIRED), first.candidates[0].content, results_for(first)]
        second = await client.aio.models.generate_content(
            model="gemini-3.5-flash", contents=contents, config=tool_config()
        )
    assert not second.function_calls
    assert words(second).startswith(recast())


async def test_calls_sent_back_without_their_thought_signature_are_refused() -> None:
    behaviour = Behaviour(seed=seed_where(words_wait=True))
    async with Emulator(pace=0, behaviour=behaviour) as emulator:
        client = make_client(emulator)
        first = await client.aio.models.generate_content(
            model="gemini-3.5-flash", contents=TIRED, config=tool_config()
        )
        unsigned = types.Content(
            role="model", parts=[types.Part(function_call=c) for c in first.function_calls or []]
        )
        with pytest.raises(errors.ClientError) as caught:
            await client.aio.models.generate_content(
                model="gemini-3.5-flash",
                contents=[user(TIRED), unsigned, results_for(first)],
                config=tool_config(),
            )
        assert "missing a thought_signature" in str(caught.value.message)
        # Without one result per call, too.
        half = types.Content(role="user", parts=results_for(first).parts[:1])
        with pytest.raises(errors.ClientError) as caught:
            await client.aio.models.generate_content(
                model="gemini-3.5-flash",
                contents=[user(TIRED), first.candidates[0].content, half],
                config=tool_config(),
            )
        assert "number of function response parts" in str(caught.value.message)


async def test_undeclared_functions_are_never_called(emulator: Emulator) -> None:
    only_phrases = types.Tool(function_declarations=[NOTE_PHRASE])
    config = types.GenerateContentConfig(system_instruction=SPANISH, tools=[only_phrases])
    response = await make_client(emulator).aio.models.generate_content(
        model="gemini-2.5-flash", contents=TIRED, config=config
    )
    assert [call.name for call in response.function_calls or []] == ["note_phrase"]


async def test_a_refuse_fault_answers_the_next_request_as_the_real_api_would(
    emulator: Emulator,
) -> None:
    """`refuse` is for generateContent, one request each, and leaves Live connections alone."""
    emulator.inject(Fault("refuse", status=429), Fault("refuse", status=503))
    client = make_client(emulator)
    contents = [user("Je suis vingt ans.")]
    with pytest.raises(errors.ClientError) as quota:
        await client.aio.models.generate_content(model="gemini-2.5-flash", contents=contents)
    assert (quota.value.code, quota.value.status) == (429, "RESOURCE_EXHAUSTED")
    assert "exceeded your current quota" in str(quota.value.message)
    with pytest.raises(errors.ServerError) as down:
        await client.aio.models.generate_content(model="gemini-2.5-flash", contents=contents)
    assert (down.value.code, down.value.status) == (503, "UNAVAILABLE")
    reply = await client.aio.models.generate_content(
        model="gemini-2.5-flash", contents=contents, config=config()
    )
    assert reply.text and emulator.sessions == []
    assert Fault.from_json({"kind": "refuse", "status": 400}).status == 400
