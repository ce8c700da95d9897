"""Random and malformed frames against the real consumer, runtime, SDK and emulator.

For any frame sequence the server must not raise (WebsocketCommunicator re-raises an
application exception on receive/disconnect), must close with the code the protocol documents
for the first bad frame (tests/tutor/conversation/frame_model.py), and must store exactly the
typed lines it accepted: no empty turns, ordinals 0..n-1, no learner line made from garbage.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.models import User
from lessons.models import Conversation, Turn
from tests.tutor.conftest import Client, finish_runtimes
from tests.tutor.conversation.frame_model import (
    Frame,
    Model,
    Quiet,
    Raw,
    Text,
    materialize,
)
from tests.tutor.conversation.frame_strategies import sessions
from tutor.emulator import Emulator

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

START = '{"type":"start","sampleRate":48000,"format":"s16"}'
OPUS_START = '{"type":"start","sampleRate":8000,"codec":"opus"}'
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@database_sync_to_async
def _conversation(learner: User) -> Conversation:
    # Created directly, not through conversation_start: the hourly start limit is not under test.
    return Conversation.objects.create(learner=learner, language="es", level="A2")


@database_sync_to_async
def _turns(conversation: Conversation) -> list[Turn]:
    return list(Turn.objects.filter(conversation=conversation).order_by("ordinal"))


async def _play(client: Client, sequence: list[Frame]) -> Model:
    """Send every frame (even after a refusal: a closed consumer must ignore them)."""
    model = Model()
    for frame in sequence:
        data = materialize(frame, model.declared)
        model.feed(frame)
        # send_input, not send_to: send_to refuses empty frames, which a browser can send.
        key = "bytes" if isinstance(data, bytes) else "text"
        await client.ws.send_input({"type": "websocket.receive", key: data})
    return model


async def _outcome(client: Client, model: Model) -> None:
    expected = model.expected
    if expected.code is None:
        # Frames are handled in order, so the pong to this last ping (not an earlier one's)
        # proves every earlier frame was handled.
        await client.send(type="ping")
        await client.until(lambda e: e["type"] == "pong" and pongs(client) == expected.pongs + 1)
        assert client.kinds().count("ready") == expected.ready
    else:
        assert await client.closed(within=5) == expected.code, client.events
        if expected.code >= 4000:
            assert any(e["type"] == "error" for e in client.events)
    await client.disconnect()  # re-raises anything the consumer raised


def pongs(client: Client) -> int:
    return client.kinds().count("pong")


def _check_stored(turns: list[Turn], typed: list[str]) -> None:
    assert [t.ordinal for t in turns] == list(range(len(turns)))
    assert all(t.text.strip() for t in turns)
    learner = [(t.text, t.source) for t in turns if t.speaker == "learner"]
    assert learner == [(text[:4000], "typed") for text in typed]


@override_settings(RECONNECT_GRACE_SECONDS=0)
@FUZZ
@given(sequence=sessions)
@example(sequence=[Text(START), Text('{"type":"text","text":"hola\\u0000"}')])
@example(sequence=[Text(START), Text(START.replace("48000", "48000.0")), Quiet(1920)])
@example(sequence=[Text(START.replace("}", ',"channels":1.0}')), Quiet(1920)])
@example(sequence=[Text(START), Quiet(1920), Text('{"type":"text","text":" hola "}'), Raw(b"\x01")])
# An earlier ping's pong must not pass for the last one's while `ready` is still on its way.
@example(
    sequence=[
        Text('{"type":"ping"}'),
        Text(START.replace("48000", "8000").replace('"format":"s16"', '"codec":"opus"')),
    ]
)
# Lines typed before `start` must not make the first Live session a continuation: the tutor
# still greets, and its opener is never stored as the learner's speech.
@example(
    sequence=[
        Text(
            '{"type": "text", "text": "\\udbcf\\udf97\\u00a6\\u0083\\u00bft\\u00f4\\ud948\\udf48"}'
        ),
        Text('{"type": "text", "text": "0"}'),
        Text('{"type": "start", "sampleRate": 48000, "format": "f32", "channels": 1}'),
    ]
)
async def test_any_frame_sequence_closes_as_documented_and_stores_only_typed_lines(
    emulator: Emulator, alice: User, sequence: list[Frame]
) -> None:
    conversation = await _conversation(alice)
    client = Client(conversation.pk, user=alice)
    await client.connect()
    try:
        model = await _play(client, sequence)
        await _outcome(client, model)
    finally:
        await finish_runtimes()
    _check_stored(await _turns(conversation), model.expected.typed)


FLOOD_RATE = 50  # frames per second; the bucket holds two seconds' worth
BURST = 2 * FLOOD_RATE


async def _flood(client: Client, count: int, *, audio: bool) -> int | None:
    """`count` valid frames as fast as possible, then a ping; the close code, or None."""
    if audio:
        await client.start(rate=16000)
    for _ in range(count - audio):  # one sample of silence, or a ping
        if audio:
            await client.ws.send_to(bytes_data=b"\x00\x00")
        else:
            await client.send(type="ping")
    await client.send(type="ping")
    pongs = 1 if audio else count + 1
    try:
        await client.until(lambda e: e["type"] == "pong" and client.kinds().count("pong") == pongs)
    except AssertionError:
        return client.close_code
    return None


@override_settings(RECONNECT_GRACE_SECONDS=0, MAX_INBOUND_FRAMES_PER_SECOND=FLOOD_RATE)
@settings(FUZZ, max_examples=8)
@given(count=st.integers(min_value=1, max_value=3000), audio=st.booleans())
@example(count=2500, audio=False)
@example(count=2500, audio=True)
@example(count=BURST - 1, audio=True)
async def test_a_flood_of_tiny_frames_is_cut_off_with_4429(
    emulator: Emulator, alice: User, count: int, audio: bool
) -> None:
    conversation = await _conversation(alice)
    client = Client(conversation.pk, user=alice)
    await client.connect()
    try:
        closed = await _flood(client, count, audio=audio)
        await client.disconnect()
    finally:
        await finish_runtimes()
    assert closed in (None, 4429)
    if count + 1 <= BURST:
        assert closed is None  # a full bucket never refuses, however fast the frames come
    elif count >= 20 * BURST:
        assert closed == 4429  # sending this many within the limit would take over 40 s
