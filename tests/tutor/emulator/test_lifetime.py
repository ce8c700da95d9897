"""The real service's connection limits in the emulator (tutor/emulator/lifetime.py), seen
through the real SDK: lifetime with goAway, the uncompressed-session cap, handle rules."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from google.genai import errors, types

from tests.tutor.emulator.conftest import MODEL, live_config, make_client
from tutor.emulator import Emulator
from tutor.emulator.behaviour import Behaviour
from tutor.emulator.lifetime import DEADLINE, REFUSED

COMPRESSION = types.ContextWindowCompressionConfig(sliding_window=types.SlidingWindow())


async def _messages_until_closed(emu: Emulator, config: Any) -> tuple[list[Any], errors.APIError]:
    seen: list[Any] = []
    with pytest.raises(errors.APIError) as caught:
        async with make_client(emu).aio.live.connect(model=MODEL, config=config) as session:
            while True:
                async for message in session.receive():
                    seen.append(message)
    return seen, caught.value


@pytest.mark.parametrize("compressed", [True, False])
async def test_a_connection_gets_go_away_then_the_deadline_close(compressed: bool) -> None:
    # Without compression the session cap (1 s here) comes first; with it, the lifetime (2 s).
    behaviour = Behaviour(connection_seconds=2.0, goaway_notice=0.5, session_seconds=1.0)
    extra = {"context_window_compression": COMPRESSION} if compressed else {}
    async with Emulator(pace=0, behaviour=behaviour) as emu:
        start = time.monotonic()
        seen, error = await _messages_until_closed(emu, live_config(**extra))
        lived = time.monotonic() - start
    go_aways = [m.go_away for m in seen if m.go_away]
    assert [g.time_left for g in go_aways] == ["0.5s"]
    assert (error.code, error.details) == (1011, DEADLINE)
    assert lived == pytest.approx(2.0 if compressed else 1.0, abs=0.4)
    assert emu.sessions[0].goaway_at is not None


async def test_orderly_has_no_lifetime_and_always_a_handle_at_setup() -> None:
    behaviour = Behaviour(orderly=True, connection_seconds=0.2, goaway_notice=0.1)
    async with Emulator(pace=0, behaviour=behaviour) as emu:
        client = make_client(emu)
        async with client.aio.live.connect(model=MODEL, config=live_config(resumption=True)) as s:
            first = await anext(aiter(s.receive()))
            assert first.session_resumption_update and first.session_resumption_update.resumable
            await asyncio.sleep(0.5)  # well past the 0.2 s lifetime an unruly emulator keeps
        assert emu.sessions[0].goaway_at is None and emu.sessions[0].close_code == 1000


async def test_a_resume_while_the_issuing_connection_is_open_is_refused_with_1011() -> None:
    behaviour = Behaviour(setup_handle_chance=1.0)
    async with Emulator(pace=0, behaviour=behaviour) as emu:
        client = make_client(emu)
        async with client.aio.live.connect(model=MODEL, config=live_config(resumption=True)) as s:
            update = (await anext(aiter(s.receive()))).session_resumption_update
            assert update is not None and update.new_handle
            with pytest.raises(errors.APIError) as caught:
                config = live_config(handle=update.new_handle)
                async with client.aio.live.connect(model=MODEL, config=config):
                    pass
        assert (caught.value.code, caught.value.details) == (1011, REFUSED)
        # Once the first connection has closed, the same handle resumes.
        async with client.aio.live.connect(model=MODEL, config=config):
            pass
        assert emu.sessions[2].resumed_from == update.new_handle
        for earlier, later in zip(emu.sessions, emu.sessions[2:], strict=False):
            assert (later.opened_at or 0) >= (earlier.closed_at or 0)
