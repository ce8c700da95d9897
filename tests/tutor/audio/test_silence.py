"""tutor/audio/silence.py and OpusIn's DTX packets: while the page's encoder is quiet, the
server owes Gemini silence at the pace of the clock, and only then."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.audio import speechlike
from tutor.audio import socket_audio
from tutor.audio.opus import OpusEncoder
from tutor.audio.opus_framing import opus_bundle
from tutor.audio.silence import (
    BYTES_PER_MS,
    MAX_AHEAD_MS,
    MAX_SILENT_S,
    SilenceFill,
    feed_silence,
    is_dtx,
)
from tutor.conversation import protocol

DTX = bytes([9 << 3])  # a TOC byte alone: one 20 ms SILK frame without audio data


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def ms_of(pcm: bytes) -> float:
    return len(pcm) / BYTES_PER_MS


def test_packets_of_two_bytes_or_less_are_dtx() -> None:
    assert is_dtx(DTX) and is_dtx(DTX + b"\x00")
    assert not is_dtx(DTX + b"\x00\x00")


def test_nothing_is_owed_while_audio_comes() -> None:
    clock = Clock()
    fill = SilenceFill(clock)
    for _ in range(10):
        fill.heard(40)
        clock.now += 0.04
        assert fill.due() == b""


def test_once_quiet_the_silence_owed_follows_the_clock() -> None:
    clock = Clock()
    fill = SilenceFill(clock)
    fill.heard(40)
    fill.quiet()
    clock.now += 0.1
    assert ms_of(fill.due()) == 100
    assert fill.due() == b""  # paid
    clock.now += 0.25
    assert ms_of(fill.due()) == 250


def test_audio_ends_the_quiet_and_silence_never_doubles_it() -> None:
    clock = Clock()
    fill = SilenceFill(clock)
    fill.heard(40)
    fill.quiet()
    clock.now += 0.1
    fill.due()
    fill.heard(20)  # a packet at once: its 20 ms were already paid as silence
    assert not fill.silent
    fill.quiet()
    clock.now += 0.1
    assert ms_of(fill.due()) == 80  # the 20 ms ahead are not owed twice


def test_audio_ahead_of_the_clock_counts_only_so_far() -> None:
    clock = Clock()
    fill = SilenceFill(clock)
    fill.heard(40)
    fill.heard(400)  # a burst after a stall: ten bundles at once
    fill.quiet()
    clock.now += 0.5
    assert ms_of(fill.due()) == 500 - MAX_AHEAD_MS


def test_a_pause_or_a_long_quiet_stops_the_silence() -> None:
    clock = Clock()
    fill = SilenceFill(clock)
    fill.heard(40)
    fill.quiet()
    fill.pause()
    clock.now += 1
    assert fill.due() == b""
    fill.heard(40)
    fill.quiet()
    clock.now += MAX_SILENT_S + 1
    assert fill.due() == b""
    assert not fill.silent


async def test_feed_silence_pays_each_tick_until_audio_comes() -> None:
    clock = Clock()
    fill = SilenceFill(clock)
    fill.heard(40)
    fill.quiet()
    paid: list[bytes] = []

    async def deliver(pcm: bytes) -> None:
        paid.append(pcm)
        clock.now += 0.04
        if len(paid) == 3:
            fill.heard(40)  # the learner speaks again

    clock.now += 0.04
    await asyncio.wait_for(feed_silence(fill, deliver, tick=0), 5)
    assert [ms_of(p) for p in paid] == [40, 40, 40]


def opus_in() -> tuple[socket_audio.Inbound, list[bytes], asyncio.Event]:
    message = json.dumps({"type": "start", "sampleRate": 48000, "codec": "opus"})
    declared = protocol.parse_start(protocol.parse_text_frame(message))
    fed: list[bytes] = []
    arrived = asyncio.Event()

    async def deliver(pcm: bytes) -> None:
        fed.append(pcm)
        arrived.set()

    inbound = socket_audio.inbound(declared, max_bytes_per_second=10**6, deliver=deliver)
    return inbound, fed, arrived


async def test_a_bundle_ending_in_dtx_gives_its_silence_then_silence_as_time_passes() -> None:
    inbound, fed, arrived = opus_in()
    speech = OpusEncoder(rate=48000).encode(speechlike(0.2, 48000))
    heard = b"".join(inbound.to_16k(opus_bundle(speech[i : i + 2])) for i in range(0, 8, 2))
    quiet = inbound.to_16k(opus_bundle([*speech[8:9], DTX, DTX]))
    # What soxr held of the speech comes out with the DTX bundle, then 40 ms of silence.
    assert ms_of(heard + quiet) == pytest.approx(180 + 40, abs=0.5)
    assert quiet.endswith(bytes(40 * BYTES_PER_MS))
    await asyncio.wait_for(arrived.wait(), 5)  # the feeder's first tick
    assert set(b"".join(fed)) == {0}
    inbound.to_16k(opus_bundle(speech[9:10]))  # heard again: the feeding stops
    count = len(fed)
    await asyncio.sleep(0.1)
    assert len(fed) <= count + 1  # at most the tick already under way
    inbound.close()


async def test_a_paused_or_closed_socket_is_fed_nothing() -> None:
    inbound, fed, _ = opus_in()
    inbound.to_16k(opus_bundle([DTX]))
    inbound.pause()
    await asyncio.sleep(0.1)
    assert fed == []
    inbound.to_16k(opus_bundle([DTX]))
    inbound.close()
    await asyncio.sleep(0.1)
    assert fed == []
