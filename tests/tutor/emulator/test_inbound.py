"""Client input after setup: audio rates, turn ends and manual activity (inbound.py)."""

from __future__ import annotations

from google.genai import types

from tests.tutor.emulator.conftest import (
    MODEL,
    OPENER,
    live_config,
    make_client,
    next_turn,
    say,
    silence,
    speech,
)
from tutor.emulator import Emulator
from tutor.emulator.scripts import load

STEP = load("es").bands["A"].steps[0]


async def test_48k_audio_is_resampled_and_still_ends_a_turn(emulator: Emulator) -> None:
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        await s.send_realtime_input(text=OPENER)
        await next_turn(s)
        await say(s, speech(STEP.learner, rate=48000) + silence(1.0, 48000), rate=48000)
        turn = await next_turn(s)
    assert turn.heard == STEP.learner
    assert emulator.sessions[0].audio_bytes_in == len(speech(STEP.learner, rate=48000)) + 96000


async def test_audio_stream_end_ends_the_turn_without_waiting_for_silence(
    emulator: Emulator,
) -> None:
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        await s.send_realtime_input(text=OPENER)
        await next_turn(s)
        await say(s, speech(STEP.learner))
        await s.send_realtime_input(audio_stream_end=True)
        assert (await next_turn(s)).heard == STEP.learner


async def test_silence_alone_never_starts_a_turn(emulator: Emulator) -> None:
    async with make_client(emulator).aio.live.connect(model=MODEL, config=live_config()) as s:
        await say(s, silence(3.0))
        await s.send_realtime_input(audio_stream_end=True)
        await s.send_realtime_input(text=OPENER)
        turn = await next_turn(s)
    assert "demostración" in turn.said  # the first turn is still the greeting
    assert emulator.sessions[0].learner_turns == []


async def test_the_silence_duration_from_the_setup_is_honoured(emulator: Emulator) -> None:
    detection = types.AutomaticActivityDetection(silence_duration_ms=2000)
    config = live_config(
        realtime_input_config=types.RealtimeInputConfig(automatic_activity_detection=detection)
    )
    async with make_client(emulator).aio.live.connect(model=MODEL, config=config) as s:
        await s.send_realtime_input(text=OPENER)
        await next_turn(s)
        await say(s, speech(STEP.learner) + silence(1.5))  # shorter than 2 s: no turn yet
        await say(s, speech(STEP.learner) + silence(2.2))
        await s.send_realtime_input(text="Me llamo Alice.")  # queued after any audio turn
        for _ in range(2):
            await next_turn(s)
    # One spoken turn, then the typed one (whose echo is drawn, so the record tells).
    assert emulator.sessions[0].learner_turns == [STEP.learner, "Me llamo Alice."]


async def test_activity_signals_drive_turns_when_detection_is_off(emulator: Emulator) -> None:
    detection = types.AutomaticActivityDetection(disabled=True)
    config = live_config(
        realtime_input_config=types.RealtimeInputConfig(automatic_activity_detection=detection)
    )
    async with make_client(emulator).aio.live.connect(model=MODEL, config=config) as s:
        await s.send_realtime_input(text=OPENER)
        await next_turn(s)
        await s.send_realtime_input(activity_start=types.ActivityStart())
        await say(s, silence(0.5))  # quiet audio: only the explicit signals count
        await s.send_realtime_input(activity_end=types.ActivityEnd())
        assert (await next_turn(s)).heard == STEP.learner
