"""Setup validation, faults and resumption on one connection (tutor/emulator/session.py)."""

from __future__ import annotations

import asyncio

import pytest
from google.genai import errors, types
from websockets.exceptions import InvalidStatus

from tests.tutor.emulator.conftest import (
    MODEL,
    OPENER,
    Turn,
    live_config,
    make_client,
    next_turn,
    say,
    silence,
    speech,
)
from tutor.emulator import Emulator, Fault
from tutor.emulator.scripts import load

STEPS = load("es").bands["A"].steps


async def connect_and_fail(emu: Emulator, **kwargs: object) -> errors.APIError:
    model = str(kwargs.pop("model", MODEL))
    config = kwargs.pop("config", live_config())
    client = make_client(emu, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(errors.APIError) as caught:
        async with client.aio.live.connect(model=model, config=config) as s:  # type: ignore[arg-type]
            await next_turn(s)
    return caught.value


async def test_a_bad_key_is_refused_with_1008(emulator: Emulator) -> None:
    error = await connect_and_fail(emulator, api_key="invalid-key")
    assert error.code == 1008
    assert "API key not valid" in str(error.details)
    assert emulator.sessions[0].key_present


async def test_an_unknown_model_is_refused_with_1008(emulator: Emulator) -> None:
    error = await connect_and_fail(emulator, model="gemini-2.0-flash-live-001")
    assert error.code == 1008
    assert str(error.details).startswith(
        "models/gemini-2.0-flash-live-001 is not found for API version v1beta"
    )


async def test_text_responses_are_refused_with_1007(emulator: Emulator) -> None:
    config = live_config()
    config.response_modalities = [types.Modality.TEXT]
    assert (await connect_and_fail(emulator, config=config)).code == 1007


async def test_an_unknown_resumption_handle_is_refused_with_1008(emulator: Emulator) -> None:
    error = await connect_and_fail(emulator, config=live_config(handle="no-such-handle"))
    assert error.code == 1008


async def test_deprecated_media_chunks_close_with_1007(emulator: Emulator) -> None:
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        await s.send_realtime_input(media=types.Blob(data=silence(0.1), mime_type="audio/pcm"))
        with pytest.raises(errors.APIError) as caught:
            await next_turn(s)
    assert caught.value.code == 1007
    assert "media_chunks is deprecated" in str(caught.value.details)


async def test_client_content_mid_session_on_3_1_closes_with_1007(emulator: Emulator) -> None:
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        await s.send_client_content(
            turns=types.Content(role="user", parts=[types.Part(text="Hola")])
        )
        with pytest.raises(errors.APIError) as caught:
            await next_turn(s)
    assert caught.value.code == 1007


async def test_client_content_on_2_5_starts_a_turn(emulator: Emulator) -> None:
    model = "gemini-2.5-flash-native-audio-preview-09-2025"
    async with make_client(emulator).aio.live.connect(model=model, config=live_config()) as s:
        await s.send_client_content(
            turns=types.Content(role="user", parts=[types.Part(text=OPENER)])
        )
        turn = await next_turn(s)
    assert "demostración" in turn.said


async def test_resuming_after_go_away_continues_the_script_without_a_second_greeting(
    emulator: Emulator,
) -> None:
    emulator.inject(Fault("goaway", after_turns=1, delay=0.2))
    client = make_client(emulator)
    async with client.aio.live.connect(model=MODEL, config=live_config(resumption=True)) as s:
        await s.send_realtime_input(text=OPENER)
        await next_turn(s)
        after = Turn()
        with pytest.raises(errors.APIError) as caught:
            async for message in s.receive():
                after.messages.append(message)
    update, go_away = after.messages  # the handle after the greeting, then the notice
    handle = update.session_resumption_update.new_handle
    assert go_away.go_away.time_left == "0.2s"
    assert caught.value.code == 1011
    assert caught.value.details == "Deadline expired before operation could complete."
    config = live_config(handle=handle)
    async with client.aio.live.connect(model=MODEL, config=config) as s:
        await say(s, speech(STEPS[0].learner) + silence(1.0))
        turn = await next_turn(s)
    assert turn.heard == STEPS[0].learner and turn.said == STEPS[0].reply
    first, second = emulator.sessions
    assert second.resumed_from == handle == first.handles_issued[-1]
    assert len(first.tutor_turns) == 1 and second.tutor_turns == [STEPS[0].reply]


async def test_a_session_update_without_handle_is_sent_while_a_turn_runs(
    emulator: Emulator,
) -> None:
    config = live_config(resumption=True)
    async with make_client(emulator).aio.live.connect(model=MODEL, config=config) as s:
        await s.send_realtime_input(text=OPENER)
        turn = await next_turn(s)
    updates = [m.session_resumption_update for m in turn.messages if m.session_resumption_update]
    # Whether a handle also follows setupComplete is drawn per connection (lifetime.py).
    assert [(u.resumable, bool(u.new_handle)) for u in updates] in (
        [(True, True), (False, False)],
        [(False, False)],
    )


async def test_an_injected_close_surfaces_as_api_error_1011(emulator: Emulator) -> None:
    emulator.inject(Fault("close"))
    error = await connect_and_fail(emulator)
    assert (error.code, error.details) == (1011, "Internal error encountered.")
    assert emulator.sessions[0].close_code == 1011


async def test_a_mid_turn_close_cuts_the_reply_short(emulator: Emulator) -> None:
    emulator.inject(Fault("close", mid_turn=True, code=1011, reason="The service is unavailable."))
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        await s.send_realtime_input(text=OPENER)
        audio = 0
        with pytest.raises(errors.APIError) as caught:
            async for message in s.receive():
                audio += len(message.data or b"")
    assert caught.value.code == 1011 and audio > 0
    assert emulator.sessions[0].tutor_turns == []


async def test_an_abort_surfaces_as_api_error_1006(emulator: Emulator) -> None:
    emulator.inject(Fault("abort"))
    assert (await connect_and_fail(emulator)).code == 1006


async def test_a_rejected_upgrade_raises_invalid_status(emulator: Emulator) -> None:
    emulator.inject(Fault("reject", status=403))
    client = make_client(emulator)
    with pytest.raises(InvalidStatus) as caught:
        async with client.aio.live.connect(model=MODEL, config=live_config()):
            pass
    assert caught.value.response.status_code == 403


async def test_slow_setup_holds_connect_until_the_delay_passes(emulator: Emulator) -> None:
    emulator.inject(Fault("slow_setup", delay=1.0))
    client = make_client(emulator)
    opened = asyncio.Event()

    async def connect() -> bool:
        async with client.aio.live.connect(model=MODEL, config=live_config()) as s:
            opened.set()
            return s.setup_complete is not None

    task = asyncio.ensure_future(connect())
    done, _ = await asyncio.wait({task}, timeout=0.3)
    assert not done and not opened.is_set()
    assert await task


async def test_no_setup_leaves_connect_waiting(emulator: Emulator) -> None:
    emulator.inject(Fault("no_setup"))
    client = make_client(emulator)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.5), client.aio.live.connect(model=MODEL, config=live_config()):
            pass
    assert emulator.sessions[0].model == MODEL


async def test_faults_apply_one_per_connection_in_order(emulator: Emulator) -> None:
    emulator.inject(Fault("close", reason="first"), Fault("close", code=1008, reason="second"))
    first = await connect_and_fail(emulator)
    second = await connect_and_fail(emulator)
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        await s.send_realtime_input(text=OPENER)
        assert (await next_turn(s)).said
    assert [(first.code, first.details), (second.code, second.details)] == [
        (1011, "first"),
        (1008, "second"),
    ]
    assert [r.fault for r in emulator.sessions] == ["close", "close", None]


async def test_a_mid_turn_go_away_lets_the_turn_finish_before_the_close(
    emulator: Emulator,
) -> None:
    emulator.inject(Fault("goaway", mid_turn=True, delay=0.5))
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        await s.send_realtime_input(text=OPENER)
        turn = await next_turn(s)
        with pytest.raises(errors.APIError) as caught:
            await next_turn(s)
    notice = next(i for i, m in enumerate(turn.messages) if m.go_away)
    assert turn.messages[notice - 1].data and turn.messages[notice + 1].data
    assert turn.kinds()[-2:] == ["generation", "turn"]
    assert caught.value.code == 1011
