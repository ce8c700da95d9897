"""The conversation socket with Opus on the wire, end to end against the emulator."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from channels.db import database_sync_to_async
from django.test import override_settings

from accounts.models import User
from lessons.models import Conversation, Turn
from tests.audio import speechlike, unbundle
from tests.tutor.conftest import SOCKET_TEST, Client, final, kind, spanish_48k
from tests.tutor.conversation.talk import join, start_conversation
from tutor.audio.opus import OpusDecoder, OpusEncoder
from tutor.audio.opus_framing import opus_bundle
from tutor.emulator import Emulator

pytestmark = SOCKET_TEST


@database_sync_to_async
def _speakers(conversation: Conversation) -> list[str]:
    turns = Turn.objects.filter(conversation=conversation).order_by("ordinal")
    return list(turns.values_list("speaker", flat=True))


@database_sync_to_async
def _refresh(conversation: Conversation) -> Conversation:
    return Conversation.objects.get(pk=conversation.pk)


def bundles(pcm: bytes, *, rate: int = 48000, per_bundle: int = 2) -> list[bytes]:
    """48 kHz PCM16 as the page sends it with WebCodecs: 20 ms packets, two to a frame."""
    encoder = OpusEncoder(rate=rate)
    packets = encoder.encode(pcm)
    return [opus_bundle(packets[i : i + per_bundle]) for i in range(0, len(packets), per_bundle)]


async def _collect(
    client: Client, frames: list[bytes], match: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """`client.until`, keeping each binary frame separate (Opus bundles are not PCM)."""
    for event in client.events:
        if match(event):
            return event
    return await _read_until(client, frames, match, within=20)


async def _read_until(
    client: Client, frames: list[bytes], match: Callable[[dict[str, Any]], bool], within: float
) -> dict[str, Any]:
    async with asyncio.timeout(within):
        while True:
            output = await client.ws.receive_output(within)
            assert output["type"] != "websocket.close", client.kinds()
            if output.get("bytes") is not None:
                frames.append(output["bytes"])
                continue
            event = json.loads(output["text"])
            client.events.append(event)
            if match(event):
                return event


async def test_opus_both_ways_is_heard_answered_and_stored(emulator: Emulator, alice: User) -> None:
    conversation = await start_conversation(alice)
    client = Client(conversation.pk, user=alice)
    frames: list[bytes] = []
    await client.connect()
    await client.send(type="start", sampleRate=48000, codec="opus")
    ready = await client.until(kind("ready"))
    assert (ready["codec"], ready["outputCodec"], ready["outputRate"]) == ("opus", "opus", 24000)
    greeting = await _collect(client, frames, final("tutor"))
    assert greeting["text"]
    for frame in bundles(spanish_48k()):
        await client.ws.send_to(bytes_data=frame)
        await asyncio.sleep(0)
    learner = await _collect(client, frames, final("learner"))
    assert learner["text"]
    await _collect(client, frames, kind("correction"))
    await _collect(client, frames, lambda e: final("tutor")(e) and e["turn"] > learner["turn"])
    await client.send(type="end")
    await client.closed()

    decoder = OpusDecoder(rate=48000)
    speech = b"".join(decoder.decode(p) for frame in frames for p in unbundle(frame))
    assert len(speech) > 2 * 96000  # more than two seconds of tutor speech decoded
    assert np.abs(np.frombuffer(speech, "<i2")).max() > 3000  # a voice, not silence
    assert sum(map(len, frames)) < len(speech) / 10  # Opus is >10x smaller than 48 kHz PCM
    assert await _speakers(conversation) == ["tutor", "learner", "tutor"]
    assert emulator.sessions[0].learner_turns  # the emulator's VAD heard the decoded speech
    assert emulator.sessions[0].audio_bytes_in > 32000  # > 1 s of 16 kHz audio upstream


async def test_opus_in_with_pcm_out_sends_raw_24k_audio(emulator: Emulator, alice: User) -> None:
    conversation = await start_conversation(alice)
    client = await join(conversation, user=alice, greeting=False, codec="opus", outputCodec="pcm")
    ready = await client.until(kind("ready"))
    assert (ready["codec"], ready["outputCodec"]) == ("opus", "pcm")
    await client.until(final("tutor"))
    assert len(client.audio) > 48000  # over a second of 24 kHz PCM16, playable as is
    await client.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (b"\x07\x00\x08", 4400),  # a packet shorter than its length prefix
        (opus_bundle([b"\x08\x01"] * 7), 4413),  # 140 ms in one frame
        (b"\x00\x00" * 961, 4400),  # PCM sent on an Opus socket
    ],
    ids=["truncated", "too-long", "pcm-on-opus"],
)
async def test_bad_opus_frames_close_with_their_code(
    emulator: Emulator, alice: User, frame: bytes, code: int
) -> None:
    conversation = await start_conversation(alice)
    client = await join(conversation, user=alice, greeting=False, codec="opus")
    await client.ws.send_to(bytes_data=frame)
    assert await client.closed() == code
    assert any(e["type"] == "error" for e in client.events)


async def test_a_second_start_cannot_switch_codec(emulator: Emulator, alice: User) -> None:
    conversation = await start_conversation(alice)
    client = await join(conversation, user=alice, greeting=False, codec="opus")
    await client.start()  # PCM now
    assert await client.closed() == 4400


@override_settings(MAX_INBOUND_BYTES_PER_SECOND=8000)
async def test_a_flood_of_opus_audio_is_refused_with_4429(emulator: Emulator, alice: User) -> None:
    # 8,000 bytes/s is 83 ms of 48 kHz PCM a second; small Opus frames get the same audio time.
    conversation = await start_conversation(alice)
    client = await join(conversation, user=alice, greeting=False, codec="opus")
    frames = bundles(speechlike(1.0, 48000))
    assert max(map(len, frames)) < 300  # far below the byte limit: only audio time can trip
    for frame in frames:
        await client.ws.send_to(bytes_data=frame)
    assert await client.closed() == 4429


async def test_a_barge_in_interrupts_an_opus_page_and_the_next_answer_decodes(
    realtime_emulator: Emulator, alice: User
) -> None:
    conversation = await start_conversation(alice)
    client = Client(conversation.pk, user=alice)
    frames: list[bytes] = []
    await client.connect()
    await client.send(type="start", sampleRate=48000, codec="opus")
    # Captions come with the audio they belong to: the greeting is now playing.
    await _collect(client, frames, lambda e: e["type"] == "transcript" and not e["final"])
    assert frames
    for frame in bundles(spanish_48k()):
        await client.ws.send_to(bytes_data=frame)
        await asyncio.sleep(0)
    await _collect(client, frames, kind("interrupted"))
    cut = await _collect(client, frames, final("tutor"))
    assert cut["interrupted"] is True
    frames.clear()
    learner = await _collect(client, frames, final("learner"))
    await _collect(client, frames, lambda e: final("tutor")(e) and e["turn"] > learner["turn"])
    # The page resets its decoder on `interrupted`; the server started a fresh encoder.
    decoder = OpusDecoder(rate=48000)
    answer = b"".join(decoder.decode(p) for frame in frames for p in unbundle(frame))
    assert len(answer) > 96000 and np.abs(np.frombuffer(answer, "<i2")).max() > 3000
    await client.disconnect()


async def test_time_to_first_audio_is_stored_for_an_opus_conversation(
    emulator: Emulator, alice: User
) -> None:
    conversation = await start_conversation(alice)
    client = await join(conversation, user=alice, codec="opus")
    for frame in bundles(spanish_48k()):
        await client.ws.send_to(bytes_data=frame)
        await asyncio.sleep(0)
    learner = await client.until(final("learner"))
    await client.until(lambda e: final("tutor")(e) and e["turn"] > learner["turn"])
    await client.send(type="end")
    await client.closed()
    done = await _refresh(conversation)
    assert done.latency_p50_ms is not None and done.latency_p95_ms is not None
    assert 0 <= done.latency_p50_ms <= done.latency_p95_ms


DTX = bytes([9 << 3])  # a TOC byte alone: a 20 ms frame the page's encoder skipped (DTX)


def speech_then_dtx(text: str = "Yo soy cansado hoy") -> list[bytes]:
    """What a page with DTX sends for a sentence: its packets (no trailing silence: the
    encoder skips those frames), then the DTX packets that say it went quiet, then nothing."""
    return [*bundles(spanish_48k(text, silence_s=0)), opus_bundle([DTX, DTX])]


async def test_a_page_in_dtx_still_ends_its_turn(emulator: Emulator, alice: User) -> None:
    # Nothing arrives after the DTX packets: the turn ends only because the server feeds
    # the emulator's VAD the silence the microphone would have sent.
    conversation = await start_conversation(alice)
    client = await join(conversation, user=alice, codec="opus")
    for frame in speech_then_dtx():
        await client.ws.send_to(bytes_data=frame)
        await asyncio.sleep(0)
    learner = await client.until(final("learner"))
    assert learner["text"]
    await client.until(lambda e: final("tutor")(e) and e["turn"] > learner["turn"])
    session = emulator.sessions[0]
    assert session.learner_turns
    speech_bytes = len(spanish_48k(silence_s=0)) // 3  # at 16 kHz
    assert session.audio_bytes_in > speech_bytes + 300 * 32  # and the silence after it
    await client.disconnect()


async def test_a_barge_in_from_dtx_interrupts_the_tutor(
    realtime_emulator: Emulator, alice: User
) -> None:
    conversation = await start_conversation(alice)
    client = Client(conversation.pk, user=alice)
    frames: list[bytes] = []
    await client.connect()
    await client.send(type="start", sampleRate=48000, codec="opus")
    await client.ws.send_to(bytes_data=opus_bundle([DTX, DTX]))  # quiet while greeted
    await _collect(client, frames, lambda e: e["type"] == "transcript" and not e["final"])
    for frame in speech_then_dtx():
        await client.ws.send_to(bytes_data=frame)
        await asyncio.sleep(0)
    await _collect(client, frames, kind("interrupted"))
    learner = await _collect(client, frames, final("learner"))
    await _collect(client, frames, lambda e: final("tutor")(e) and e["turn"] > learner["turn"])
    await client.disconnect()
