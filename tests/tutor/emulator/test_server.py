"""One TLS port: Live WebSocket routing, credentials and the control API (server.py)."""

from __future__ import annotations

import json
import ssl

import aiohttp
import pytest
import websockets
from google import genai
from google.genai import types

from tests.tutor.emulator.conftest import MODEL, OPENER, live_config, make_client, next_turn
from tutor.emulator import Emulator


def http(emu: Emulator) -> aiohttp.ClientSession:
    context = ssl.create_default_context(cafile=emu.ca_file)
    return aiohttp.ClientSession(emu.base_url, connector=aiohttp.TCPConnector(ssl=context))


async def test_the_sdk_trusts_the_emulator_through_ssl_cert_file(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", emulator.ca_file)
    # A trailing slash makes the SDK dial "//ws/…", as with the default base URL.
    options = types.HttpOptions(base_url=emulator.base_url + "/", api_version="v1beta")
    client = genai.Client(api_key="test-key", http_options=options)
    async with client.aio.live.connect(model=MODEL, config=live_config()) as s:
        await s.send_realtime_input(text=OPENER)
        assert (await next_turn(s)).said
    reply = await client.aio.models.generate_content(model="gemini-2.5-flash", contents="Hola")
    assert reply.text
    assert emulator.sessions[0].path.startswith("//ws/")


def raw(emu: Emulator, version: str = "v1beta", query: str = "") -> websockets.connect:
    """A plain websockets client with the x-goog-api-key header unless `query` carries one."""
    path = f"/ws/google.ai.generativelanguage.{version}.GenerativeService.BidiGenerateContent"
    url = emu.base_url.replace("https", "wss") + path + query
    headers = {} if query else {"x-goog-api-key": "test-key"}
    context = ssl.create_default_context(cafile=emu.ca_file)
    return websockets.connect(url, ssl=context, additional_headers=headers)


SETUP = json.dumps({"setup": {"model": f"models/{MODEL}"}})


async def test_a_key_in_the_query_string_is_accepted(emulator: Emulator) -> None:
    async with raw(emulator, "v1alpha", "?key=k1") as ws:
        await ws.send(SETUP)
        assert json.loads(await ws.recv()) == {"setupComplete": {}}
    record = emulator.sessions[0]
    assert (record.api_version, record.key_present) == ("v1alpha", True)


async def test_a_first_message_other_than_setup_closes_with_1007(emulator: Emulator) -> None:
    async with raw(emulator) as ws:
        await ws.send(json.dumps({"realtime_input": {"text": "hola"}}))
        with pytest.raises(websockets.ConnectionClosedError):
            await ws.recv()
    assert ws.close_code == 1007


async def test_it_answers_pings_and_takes_inbound_frames_over_1_mib(emulator: Emulator) -> None:
    async with raw(emulator) as ws:
        await ws.send(SETUP)
        await ws.recv()
        await (await ws.ping())
        big = {"realtime_input": {"audio": {"data": "A" * (3 << 20), "mime_type": "audio/pcm"}}}
        await ws.send(json.dumps(big))
        await ws.send(json.dumps({"realtime_input": {"text": "(joined)"}}))
        assert "serverContent" in json.loads(await ws.recv())
    assert emulator.sessions[0].audio_bytes_in == (3 << 20) * 3 // 4  # 4 base64 chars: 3 bytes


@pytest.mark.filterwarnings("ignore:The SDK's ephemeral token support is experimental")
async def test_an_ephemeral_token_uses_the_constrained_method(emulator: Emulator) -> None:
    client = make_client(emulator, api_key="auth_tokens/abc", api_version="v1alpha")
    async with client.aio.live.connect(model=MODEL, config=live_config()) as s:
        assert s.setup_complete is not None
    assert emulator.sessions[0].path.endswith("BidiGenerateContentConstrained")
    assert emulator.sessions[0].key_present


async def test_other_paths_are_not_found(emulator: Emulator) -> None:
    async with http(emulator) as session, session.get("/ws/other") as response:
        assert response.status == 404


async def test_the_control_api_queues_faults_and_lists_sessions(emulator: Emulator) -> None:
    fault = {"kind": "close", "code": 1011, "reason": "from the control API"}
    async with http(emulator) as session:
        async with session.post("/_emulator/faults", json=fault) as response:
            assert response.status == 201
        with pytest.raises(genai.errors.APIError) as caught:
            async with make_client(emulator).aio.live.connect(
                model=MODEL, config=live_config()
            ) as s:
                await next_turn(s)
        async with session.get("/_emulator/sessions") as response:
            body = await response.text()
    assert (caught.value.code, caught.value.details) == (1011, "from the control API")
    (record,) = json.loads(body)
    assert record["fault"] == "close" and record["close_code"] == 1011
    assert record["key_present"] and "test-key" not in body


@pytest.mark.parametrize(
    "fault",
    [{"kind": "explode"}, {"kind": "close", "colour": "red"}, {"kind": "close", "code": "x"}],
)
async def test_the_control_api_refuses_a_malformed_fault(
    emulator: Emulator, fault: dict[str, object]
) -> None:
    async with http(emulator) as session, session.post("/_emulator/faults", json=fault) as response:
        assert response.status == 400
    assert not emulator._faults


async def test_stopping_closes_open_sessions_with_1001(emulator: Emulator) -> None:
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        await emulator.stop()
        with pytest.raises(genai.errors.APIError) as caught:
            await next_turn(s)
    assert caught.value.code == 1001
