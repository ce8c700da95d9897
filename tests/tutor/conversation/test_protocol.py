from __future__ import annotations

import json

import pytest

from tutor.audio.frames import FrameError, Start, check_audio_frame
from tutor.audio.rate_limit import InboundBudget
from tutor.conversation import protocol
from tutor.conversation.protocol import parse_text_frame


def test_it_accepts_a_valid_start() -> None:
    message = parse_text_frame(json.dumps({"type": "start", "sampleRate": 48000, "format": "f32"}))
    start = protocol.parse_start(message)
    assert (start.sample_rate, start.format, start.channels) == (48000, "f32", 1)


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[]",
        "null",
        '{"type": "dance"}',
        '{"type": "start", "sampleRate": "48000", "format": "f32"}',
        '{"type": "start", "sampleRate": 1e300, "format": "f32"}',
        '{"type": "start", "sampleRate": 4000, "format": "f32"}',
        '{"type": "start", "sampleRate": 48000, "format": "mp3"}',
        '{"type": "start", "sampleRate": 48000, "format": "s16", "extra": 1}',
        '{"type": "text", "text": 5}',
        '{"type": "text", "text": "   "}',
        '{"type": "end", "why": "x"}',
        '{"type": "text", "text": "' + "a" * 1001 + '"}',
    ],
)
def test_it_refuses_malformed_control_frames(raw: str) -> None:
    with pytest.raises(FrameError) as info:
        parse_text_frame(raw)
    assert protocol.close_code(info.value) == protocol.CLOSE_BAD_FRAME


def test_it_refuses_oversized_control_frames() -> None:
    with pytest.raises(FrameError) as info:
        parse_text_frame(json.dumps({"type": "text", "text": "x" * 5000}))
    assert protocol.close_code(info.value) == protocol.CLOSE_TOO_LARGE


def test_audio_frames_are_checked_against_the_declared_format() -> None:
    start = Start(sample_rate=48000, format="s16", channels=1)
    check_audio_frame(start, b"\x00" * 1920)  # 20 ms
    with pytest.raises(FrameError) as before:
        check_audio_frame(None, b"\x00" * 1920)
    assert protocol.close_code(before.value) == protocol.CLOSE_BAD_FRAME
    with pytest.raises(FrameError) as odd:
        check_audio_frame(start, b"\x00" * 1921)
    assert protocol.close_code(odd.value) == protocol.CLOSE_BAD_FRAME
    with pytest.raises(FrameError) as large:
        check_audio_frame(start, b"\x00" * (start.max_frame_bytes + 2))
    assert protocol.close_code(large.value) == protocol.CLOSE_TOO_LARGE
    f32 = Start(sample_rate=48000, format="f32", channels=2)
    with pytest.raises(FrameError):
        check_audio_frame(f32, b"\x00" * 6)  # not a whole stereo float frame


def test_the_byte_rate_allows_bursts_then_refuses() -> None:
    now = [0.0]
    rate = InboundBudget(1000, lambda: now[0])
    assert rate.allow(1500)
    assert not rate.allow(1000)
    now[0] += 5.0  # refills, capped at two seconds' worth
    assert rate.allow(1900)


START = {"type": "start", "sampleRate": 48000, "format": "s16"}


def test_a_rooms_start_may_listen_and_a_conversations_may_not() -> None:
    listening = protocol.parse_room_frame(json.dumps({**START, "listen": True}))
    assert listening == {**START, "listen": True}
    assert protocol.parse_start(listening) == protocol.parse_start(START)
    assert protocol.parse_room_frame(json.dumps({**START, "listen": False})) == START
    assert protocol.parse_room_frame(json.dumps(START)) == START
    with pytest.raises(FrameError):  # the conversation socket's start is as it was
        parse_text_frame(json.dumps({**START, "listen": True}))


@pytest.mark.parametrize(
    "message",
    [
        {**START, "listen": "yes"},
        {**START, "listen": 1},
        {"type": "ping", "listen": True},
        {"type": "text", "text": "hola", "listen": True},
        {**START, "listen": True, "extra": 1},
        {"type": "start", "sampleRate": 48000, "listen": True},  # still a whole start
    ],
)
def test_a_rooms_frames_are_checked_as_strictly(message: dict[str, object]) -> None:
    with pytest.raises(FrameError):
        protocol.parse_room_frame(json.dumps(message))
