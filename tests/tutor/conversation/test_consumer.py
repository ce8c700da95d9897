"""The conversation socket end to end: consumer → DSP → LiveTutor → real SDK → emulator (TLS)."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from lessons.models import Conversation, Correction, Phrase, Turn
from lessons.services import conversations as services
from tests.base import make_topic
from tests.tutor.conftest import SOCKET_TEST, Client, final, kind, spanish_48k
from tests.tutor.conversation.talk import converse, join, start_conversation
from tutor.conversation.feedback import correction_diff
from tutor.conversation.registry import REGISTRY
from tutor.emulator import Emulator, Fault

pytestmark = SOCKET_TEST


async def _conversation(learner: User | None = None) -> Conversation:
    """Alice's conversation on the café topic, or (no learner) an anonymous trial."""
    make = database_sync_to_async(make_topic)
    topic = await make(target_phrases=["Estoy cansado"]) if learner else None
    return await start_conversation(learner, topic=topic)


@database_sync_to_async
def _turns(conversation: Conversation) -> list[tuple[int, str, str, str]]:
    return list(
        Turn.objects.filter(conversation=conversation)
        .order_by("ordinal")
        .values_list("ordinal", "speaker", "source", "text")
    )


@database_sync_to_async
def _refresh(conversation: Conversation) -> Conversation:
    return Conversation.objects.get(pk=conversation.pk)


@database_sync_to_async
def _corrections(conversation: Conversation) -> list[tuple[int, str]]:
    """(turn ordinal, corrected text) of each stored correction."""
    notes = Correction.objects.filter(turn__conversation=conversation)
    return list(notes.values_list("turn__ordinal", "corrected"))


@pytest.mark.smoke
async def test_the_spoken_loop_is_heard_answered_corrected_and_stored(
    emulator: Emulator, alice: User
) -> None:
    conversation = await _conversation(alice)
    client = await converse(conversation, [spanish_48k()], user=alice, end=False)
    ready = await client.until(kind("ready"))
    assert ready["demo"] is True and ready["trial"] is False
    greeting = await client.until(final("tutor"))
    assert greeting["text"]
    learner = await client.until(final("learner"))
    correction = await client.until(kind("correction"))
    assert correction["turn"] == learner["turn"]
    assert correction["corrected"] and correction["original"]
    # The page draws the server's word diff, the same one the review page shows.
    assert correction["diff"] == correction_diff(
        correction["original"], correction["corrected"], "es"
    )
    assert any(changed for _, changed in correction["diff"]["better"])
    reply = await client.until(lambda e: final("tutor")(e) and e["turn"] > learner["turn"])
    assert reply["text"]
    assert len(client.audio) > 48000  # more than a second of 24 kHz PCM16 tutor speech
    heard = emulator.sessions[0].learner_turns[0]
    # However the transcription was cut and ordered, the line ends up whole, on its own turn.
    whole = await client.until(lambda e: final("learner")(e) and e["text"] == heard)
    assert whole["turn"] == learner["turn"]
    await client.send(type="end")
    assert await client.closed() == 1000

    turns = await _turns(conversation)
    assert [(o, s) for o, s, _, _ in turns] == [(0, "tutor"), (1, "learner"), (2, "tutor")]
    assert turns[1][3] == heard  # completed in place, not stored as a second line
    assert await _corrections(conversation) == [(1, correction["corrected"])]
    assert await database_sync_to_async(Phrase.objects.filter(learner=alice).count)() >= 1
    done = await _refresh(conversation)
    assert (done.status, done.end_reason) == ("ended", "learner_ended")
    assert done.learner_seconds > 0.5 and done.tutor_seconds > 1


async def test_live_captions_grow_into_the_lines_that_are_stored(
    seeded_emulator: Emulator, alice: User
) -> None:
    """The page shows each partial's `caption` as it is (it joins no words): however the
    transcription was cut and ordered, the caption a line settles from is the line itself."""
    conversation = await _conversation(alice)
    client = await converse(conversation, [spanish_48k()], user=alice)
    shown: dict[str, str | None] = {"learner": None, "tutor": None}
    settled = []
    for event in client.events:
        if event["type"] != "transcript" or event.get("amends"):
            continue
        if not event["final"]:
            shown[event["speaker"]] = event["caption"]
        elif shown[event["speaker"]] is not None:
            assert event["text"] == shown[event["speaker"]]
            shown[event["speaker"]] = None
            settled.append(event["speaker"])
    assert settled.count("tutor") == 2 and settled.count("learner") == 1


async def test_typed_text_in_voice_mode_is_a_typed_turn(emulator: Emulator, alice: User) -> None:
    conversation = await _conversation(alice)
    client = await converse(conversation, ["Yo soy cansado hoy"], user=alice)
    typed = await client.until(final("learner"))
    assert typed["source"] == "typed"
    turns = await _turns(conversation)
    assert (turns[1][1], turns[1][2], turns[1][3]) == ("learner", "typed", "Yo soy cansado hoy")


async def test_a_target_phrase_is_ticked_by_the_server_once(
    emulator: Emulator, alice: User
) -> None:
    conversation = await _conversation(alice)
    # "Estoy cansado" said as "estoy cansada": the server's tolerant matcher, not the page's.
    lines = ["Hoy estoy cansada", "Estoy cansado otra vez"]
    client = await converse(conversation, lines, user=alice)
    [ticked] = [e for e in client.events if e["type"] == "targets"]
    assert ticked == {"type": "targets", "used": [0]}
    again = await client.until(lambda e: final("learner")(e) and e["text"] == lines[1])
    assert client.events.index(ticked) < client.events.index(again)  # by the first line


@pytest.mark.parametrize("who", ["anonymous", "charlie"])
async def test_other_people_are_refused_and_nothing_is_written(
    emulator: Emulator, alice: User, charlie: User, who: str
) -> None:
    conversation = await _conversation(alice)
    client = Client(conversation.pk, user=charlie if who == "charlie" else None)
    await client.connect()
    assert await client.closed() == (4403 if who == "charlie" else 4401)
    assert await _turns(conversation) == []
    assert emulator.sessions == []


async def test_a_trial_belongs_to_the_browser_that_started_it(emulator: Emulator) -> None:
    trial = await _conversation(None)
    stranger = Client(trial.pk, session={"trial_conversations": ["someone-else"]})
    await stranger.connect()
    assert await stranger.closed() == 4403
    owner = await join(trial, session={"trial_conversations": [str(trial.pk)]}, greeting=False)
    ready = await owner.until(kind("ready"))
    assert ready["trial"] is True and ready["trialSecondsLeft"] == 60
    await owner.disconnect()


async def test_an_ended_conversation_is_gone(emulator: Emulator, alice: User) -> None:
    conversation = await _conversation(alice)
    await database_sync_to_async(services.conversation_finish)(
        conversation_id=conversation.pk, reason="learner_ended"
    )
    client = Client(conversation.pk, user=alice)
    await client.connect()
    assert await client.closed() == 4410


@pytest.mark.parametrize(
    ("frames", "code"),
    [
        ([b"\x00\x01" * 480], 4400),  # audio before start
        (['{"type":"start","sampleRate":48000,"format":"s16"}', b"\x00" * 961], 4400),
        (['{"type":"start","sampleRate":48000,"format":"s16"}', b"\x00" * 48000], 4413),
        (["{not json"], 4400),
        (['{"type":"shout"}'], 4400),
        (
            [
                '{"type":"start","sampleRate":48000,"format":"s16"}',
                '{"type":"start","sampleRate":44100,"format":"s16"}',
            ],
            4400,
        ),
        (['{"type":"text","text":"' + "x" * 5000 + '"}'], 4413),
    ],
    ids=[
        "audio-before-start",
        "odd-length",
        "oversize",
        "bad-json",
        "unknown-type",
        "rate-change",
        "huge-text",
    ],
)
async def test_bad_frames_close_with_their_code_and_write_nothing(
    emulator: Emulator, alice: User, frames: list[str | bytes], code: int
) -> None:
    conversation = await _conversation(alice)
    client = Client(conversation.pk, user=alice)
    await client.connect()
    for frame in frames:
        if isinstance(frame, bytes):
            await client.ws.send_to(bytes_data=frame)
        else:
            await client.ws.send_to(text_data=frame)
    assert await client.closed() == code
    assert any(e["type"] == "error" for e in client.events)
    # No fixed wait: finishing the runtime (still registered, in its reconnect grace) makes any
    # line in flight final, stops the pump and drains the writer, so every write the refused
    # frames could have caused is in the database before we look.
    runtime = REGISTRY.get(conversation.pk)
    assert runtime is not None
    await runtime.finish("test_checked")
    assert runtime.ended and conversation.pk not in REGISTRY
    learner_turns = [t for t in await _turns(conversation) if t[1] == "learner"]
    assert learner_turns == []


@override_settings(MAX_INBOUND_BYTES_PER_SECOND=8000)
async def test_a_flood_of_audio_is_refused_with_4429(emulator: Emulator, alice: User) -> None:
    conversation = await _conversation(alice)
    client = await join(conversation, user=alice, greeting=False)
    for _ in range(40):  # 40 × 1,920 bytes at once: far over 8 kB/s with a 2 s burst
        await client.ws.send_to(bytes_data=b"\x00\x00" * 960)
    assert await client.closed() == 4429


@override_settings(TRIAL_SECONDS=1)
async def test_the_trial_ends_once_even_across_reconnects(emulator: Emulator) -> None:
    trial = await _conversation(None)
    session = {"trial_conversations": [str(trial.pk)]}
    client = await join(trial, session=session, greeting=False)
    await client.speak(spanish_48k(silence_s=0.2)[: 48000 * 2 * 1])  # one second of audio
    assert await client.closed(within=10) == 4408
    assert client.kinds().count("trial_ended") == 1
    again = Client(trial.pk, session=session)
    await again.connect()
    assert await again.closed() == 4408
    assert "trial_ended" not in again.kinds()
    done = await _refresh(trial)
    assert (done.status, done.end_reason) == ("ended", "trial_over")
    assert done.first_audio_at is not None


@override_settings(RECONNECT_GRACE_SECONDS=1)
async def test_leaving_without_end_finishes_as_abandoned_when_the_page_left(
    emulator: Emulator, alice: User
) -> None:
    """Nobody came back within the grace: abandoned, and its length stops when the page left,
    not when the grace ran out."""
    conversation = await _conversation(alice)
    client = await join(conversation, user=alice)
    await client.disconnect()
    left = timezone.now()
    for _ in range(100):
        if (await _refresh(conversation)).status != "active":
            break
        await asyncio.sleep(0.1)
    done = await _refresh(conversation)
    assert (done.status, done.end_reason) == ("ended", "abandoned")
    assert done.ended_at is not None and done.ended_at <= left
    assert [t[1] for t in await _turns(conversation)] == ["tutor"]


@override_settings(CONVERSATION_HEARTBEAT_SECONDS=1)
async def test_a_connected_page_beats_before_it_starts(emulator: Emulator, alice: User) -> None:
    """A page connected but not started yet is alive: other processes' sweeps must see it."""
    conversation = await _conversation(alice)
    client = Client(conversation.pk, user=alice)
    await client.connect()
    for _ in range(100):
        if (await _refresh(conversation)).last_activity_at is not None:
            break
        await asyncio.sleep(0.1)
    assert (await _refresh(conversation)).last_activity_at is not None
    await client.disconnect()


async def test_an_upstream_failure_keeps_every_earlier_turn(
    emulator: Emulator, alice: User
) -> None:
    # The first Live connection dies with 1011 after the greeting; every retry is refused.
    emulator.inject(
        Fault(kind="close", code=1011, after_turns=1),
        *[Fault(kind="reject", status=503) for _ in range(10)],
    )
    conversation = await _conversation(alice)
    client = await join(conversation, user=alice)
    await client.send(type="text", text="Yo soy cansado hoy")
    await client.until(kind("reconnecting"))
    error = await client.until(kind("error"), within=60)
    assert error["code"] == "upstream_unavailable"
    assert await client.closed(within=30) == 4502
    done = await _refresh(conversation)
    assert (done.status, done.end_reason) == ("failed", "upstream_unavailable")
    assert [t[1] for t in await _turns(conversation)] == ["tutor", "learner"]
