"""The group room socket end to end: three members' pages on `/ws/groups/<uuid>/`, one Live
session (the emulator behind the real SDK), the floor passing between them, and every line in
every member's own conversation, attributed to whoever said it."""

from __future__ import annotations

import asyncio
from typing import Any

from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import User
from lessons.models import Correction, GroupRoom, Turn
from lessons.services import groups as services
from tests.base import make_user
from tests.tutor.conftest import SOCKET_TEST, Client, final, kind, spanish_48k
from tutor.conversation.registry import REGISTRY
from tutor.emulator import Emulator
from tutor.routing import websocket_urlpatterns

pytestmark = SOCKET_TEST
NAMES = ("Ana", "Ben", "Cruz")


class Member(Client):
    """A member's page on the room's socket."""

    def __init__(self, room: GroupRoom, user: User) -> None:
        super().__init__(room.pk, user=user)
        self.user = user
        self.ws = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/groups/{room.pk}/")
        self.ws.scope["user"] = user
        self.ws.scope["session"] = {}

    async def say(self, pcm: bytes) -> None:
        """Speech at the pace a microphone sends it (the floor counts time)."""
        step = 48000 * 20 // 1000 * 2
        for i in range(0, len(pcm) - step + 1, step):
            await self.ws.send_to(bytes_data=pcm[i : i + step])
            await asyncio.sleep(0.02)


@database_sync_to_async
def _room(n: int = 3) -> tuple[GroupRoom, list[User]]:
    users = [
        make_user(f"{name.lower()}@example.org", display_name=name, target_language="es")
        for name in NAMES[:n]
    ]
    room = services.group_open(creator=users[0], language="es", level="A2")
    for user in users:
        services.group_join(room=room, learner=user)
    return room, users


@database_sync_to_async
def _copy(room: GroupRoom, user: User) -> list[tuple[str, str, str]]:
    """(speaker, speaker_name, text) of each turn in this member's own conversation."""
    member = room.members.get(learner=user)
    turns = Turn.objects.filter(conversation_id=member.conversation_id).order_by("ordinal")
    return list(turns.values_list("speaker", "speaker_name", "text"))


async def _copy_of(room: GroupRoom, user: User, lines: int) -> list[tuple[str, str, str]]:
    """`_copy` once it holds `lines` learner and peer turns: the runtime writes them off the
    audio path, a moment after the pages see them."""
    for _ in range(50):
        copy = await _copy(room, user)
        if sum(s != "tutor" for s, _, _ in copy) >= lines:
            return copy
        await asyncio.sleep(0.1)
    return copy


@database_sync_to_async
def _line_lengths(room: GroupRoom, user: User) -> list[int]:
    """Milliseconds of each learner and peer line in this member's copy."""
    member = room.members.get(learner=user)
    turns = Turn.objects.filter(conversation_id=member.conversation_id).exclude(speaker="tutor")
    return [end - start for start, end in turns.values_list("started_ms", "ended_ms")]


@database_sync_to_async
def _corrected(room: GroupRoom, user: User) -> list[str]:
    member = room.members.get(learner=user)
    notes = Correction.objects.filter(turn__conversation_id=member.conversation_id)
    return list(notes.values_list("turn__text", flat=True))


async def _open(room: GroupRoom, users: list[User]) -> list[Member]:
    """Every member's page connected, started and greeted."""
    pages = [Member(room, user) for user in users]
    for page in pages:
        await page.connect()
    for page in pages:
        await page.start()
    for page in pages:
        await page.until(final("tutor"), within=30)
    return pages


def _freed(event: dict[str, Any], page: Member, holder: int) -> bool:
    """A `floor` frame freeing the floor after the last one granting it to `holder`."""
    if event["type"] != "floor" or event["holder"] is not None:
        return False
    floors = [i for i, e in enumerate(page.events) if e["type"] == "floor"]
    granted = max(i for i in floors if page.events[i]["holder"] == holder)
    return any(e is event for e in page.events[granted:])


def _lines(page: Member) -> list[dict[str, Any]]:
    return [e for e in page.events if final("learner")(e)]


async def _turn(speaker: Member, everyone: list[Member]) -> dict[str, Any]:
    """`speaker` says a line; every page sees it, named, and the tutor's answer to it, which
    addresses the speaker by name: the emulator's moderator knows who speaks only from the
    contextUpdate the floor's passing sent (tutor/emulator/group.py)."""
    before = len(_lines(everyone[0]))
    await speaker.say(spanish_48k())
    line = await everyone[0].until(
        lambda e: final("learner")(e) and len(_lines(everyone[0])) > before, within=30
    )
    for page in everyone:
        shown = await page.until(lambda e, t=line["turn"]: final("learner")(e) and e["turn"] == t)
        assert shown["member"] == {"id": speaker.user.pk, "name": speaker.user.name}
        reply = await page.until(
            lambda e, t=line["turn"]: final("tutor")(e) and e["turn"] > t, within=30
        )
        assert speaker.user.name in reply["text"], reply["text"]
    return line


async def test_the_floor_passes_and_every_line_is_its_speakers(seeded_emulator: Emulator) -> None:
    room, users = await _room()
    pages = await _open(room, users)
    ready = await pages[1].until(kind("ready"))
    assert (ready["member"], ready["creator"]) == (users[1].pk, users[0].pk)
    presence = await pages[2].until(kind("presence"))
    assert [m["name"] for m in presence["members"]] == list(NAMES)

    for speaker in (pages[0], pages[1], pages[2], pages[0]):
        await _turn(speaker, pages)
        # Everyone sees who held the floor, and it goes free after the line.
        for page in pages:
            await page.until(lambda e, s=speaker: e["type"] == "floor" and e["holder"] == s.user.pk)
        # The hold runs out once the line is answered: the floor is free for the next.
        for page in pages:
            await page.until(lambda e, p=page, s=speaker: _freed(e, p, s.user.pk))

    heard = seeded_emulator.sessions[0].learner_turns
    assert len(heard) == 4  # one Live session heard four lines, never two voices at once
    await pages[0].send(type="end")  # the creator ends the room for everyone
    for page in pages:
        assert await page.closed(within=30) == 1000

    said_by = [users[0], users[1], users[2], users[0]]
    for user in users:
        copy = await _copy(room, user)
        spoken = [(s, n) for s, n, _ in copy if s != "tutor"]
        expected = [("learner", "") if who == user else ("peer", who.name) for who in said_by]
        assert spoken == expected, user.name
        assert [t for s, _, t in copy if s != "tutor"] == heard
        # The tutor's notes are on the speaker's own lines only.
        own = [t for s, _, t in copy if s == "learner"]
        assert all(text in own for text in await _corrected(room, user))
    # Each spoken line lasts the speech sent for it (voiced 20 ms frames), not the spread of
    # its transcription's arrival: the talk-time shares are fair.
    speech_ms = len(spanish_48k(silence_s=0)) / 96
    for length in await _line_lengths(room, users[0]):
        assert 0.5 * speech_ms <= length <= speech_ms + 100, (length, speech_ms)
    fresh = await database_sync_to_async(GroupRoom.objects.get)(pk=room.pk)
    assert fresh.status == "ended"


async def test_corrections_go_to_the_speakers_page_only(emulator: Emulator) -> None:
    room, users = await _room(2)
    pages = await _open(room, users)
    for _ in range(3):
        await _turn(pages[1], pages)
        await asyncio.sleep(1.5)
    notes = [e for e in pages[1].events if e["type"] in ("correction", "upgrade")]
    assert notes, "the emulator notes something in three lines"
    assert not [e for e in pages[0].events if e["type"] in ("correction", "upgrade", "phrase")]
    assert await _corrected(room, users[0]) == []
    assert len(await _corrected(room, users[1])) == len(
        [e for e in notes if e["type"] == "correction"]
    )


async def test_a_member_who_drops_and_rejoins_loses_nothing(emulator: Emulator) -> None:
    room, users = await _room(2)
    ana, ben = await _open(room, users)
    await _turn(ana, [ana, ben])
    await asyncio.sleep(1.5)
    await ana.ws.disconnect(code=1006)  # her network drops; the room goes on, her place kept
    await _turn(ben, [ben])
    room_runtime = REGISTRY[room.pk]
    assert room_runtime.members[users[0].pk].present  # within the grace she is still here
    back = Member(room, users[0])
    await back.connect()
    await back.start()
    await back.until(kind("ready"))
    await asyncio.sleep(1.5)
    await _turn(back, [back, ben])
    copy = await _copy_of(room, users[0], 3)
    spoken = [(s, n) for s, n, _ in copy if s != "tutor"]
    assert spoken == [("learner", ""), ("peer", "Ben"), ("learner", "")]
    assert await _copy_of(room, users[1], 3) != copy  # the same lines, from Ben's side
    assert not room_runtime.ended
    presence = [e for e in ben.events if e["type"] == "presence"][-1]
    assert [m["present"] for m in presence["members"]] == [True, True]


async def test_only_members_get_in_and_a_second_tab_replaces_the_first(
    emulator: Emulator,
) -> None:
    room, users = await _room(2)
    outsider = await database_sync_to_async(make_user)("zoe@example.org")
    stranger = Member(room, outsider)
    await stranger.connect()
    assert await stranger.closed() == 4403
    anonymous = Member(room, outsider)
    anonymous.ws.scope["user"] = AnonymousUser()
    await anonymous.connect()
    assert await anonymous.closed() == 4401
    first = Member(room, users[1])
    await first.connect()
    second = Member(room, users[1])
    await second.connect()
    assert await first.closed() == 4409
    await second.send(type="end")  # not the creator: Ben leaves, the room goes on
    assert await second.closed() == 1000
    assert not REGISTRY[room.pk].ended
    member = await database_sync_to_async(room.members.get)(learner=users[1])
    assert member.left_at is not None


async def test_an_ended_room_is_gone(emulator: Emulator) -> None:
    room, users = await _room(2)
    await database_sync_to_async(services.group_end)(room_id=room.pk, reason="learner_ended")
    page = Member(room, users[0])
    await page.connect()
    assert await page.closed() == 4410


async def test_the_holder_muting_ends_their_line(emulator: Emulator) -> None:
    """No silence after the words, only the mute: the line still ends and is answered, so the
    floor is free again (audioStreamEnd, as for one learner)."""
    room, users = await _room(2)
    ana, ben = await _open(room, users)
    await ana.say(spanish_48k(silence_s=0.0))
    await ana.send(type="pause")
    line = await ben.until(final("learner"), within=30)
    assert line["member"]["id"] == users[0].pk
    await ben.until(lambda e: final("tutor")(e) and e["turn"] > line["turn"], within=30)
    await ben.until(lambda e: _freed(e, ben, users[0].pk), within=10)


async def test_a_longer_room_keeps_every_line_its_speakers(seeded_emulator: Emulator) -> None:
    """Twelve lines in turn from three members, over the minutes a short group conversation
    takes: every copy holds every line once, in order, each attributed to its speaker."""
    room, users = await _room()
    pages = await _open(room, users)
    said_by = [users[i % 3] for i in (0, 1, 2, 1, 0, 2, 2, 0, 1, 0, 2, 1)]
    speakers = {user.pk: page for user, page in zip(users, pages, strict=True)}
    for user in said_by:
        await _turn(speakers[user.pk], pages)
        await pages[0].until(lambda e, u=user: _freed(e, pages[0], u.pk), within=10)
    heard = seeded_emulator.sessions[0].learner_turns
    assert len(heard) == len(said_by)
    for user in users:
        copy = await _copy_of(room, user, len(said_by))
        for _ in range(50):  # the last line's late words (an amendment) may still be on the way
            if [t for s, _, t in copy if s != "tutor"] == heard:
                break
            await asyncio.sleep(0.1)
            copy = await _copy(room, user)
        spoken = [(s, n) for s, n, _ in copy if s != "tutor"]
        assert spoken == [("learner", "") if w == user else ("peer", w.name) for w in said_by]
        assert [t for s, _, t in copy if s != "tutor"] == heard


async def test_each_page_hears_the_tutor_in_its_own_codec(emulator: Emulator) -> None:
    room, users = await _room(2)
    ana, ben = Member(room, users[0]), Member(room, users[1])
    for page in (ana, ben):
        await page.connect()
    await ana.start()  # PCM both ways
    await ben.start(outputCodec="opus")  # PCM up, Opus down
    assert (await ben.until(kind("ready")))["outputCodec"] == "opus"
    for page in (ana, ben):
        await page.until(final("tutor"), within=30)
    await _turn(ana, [ana, ben])
    assert len(ana.audio) > 48000  # over a second of 24 kHz PCM16
    assert 0 < len(ben.audio) < len(ana.audio) / 10  # the same speech, Opus-encoded


async def test_overlapping_speech_is_queued_not_mixed(emulator: Emulator) -> None:
    """Ana and Ben speak at once: Ana has the floor, Ben waits in the queue with his words
    kept, and they reach the tutor after hers, as his own line; one voice at a time."""
    await _overlap(emulator)


async def test_queued_words_wait_for_the_tutors_whole_answer(
    realtime_emulator: Emulator,
) -> None:
    """The same with the tutor speaking in real time: Ben's kept words would cut its answer
    to Ana (and the correction that comes with it) if they went up as soon as her line
    closed; they wait for its turnComplete."""
    await _overlap(realtime_emulator)


async def _overlap(emulator: Emulator) -> None:
    room, users = await _room(2)
    ana, ben = await _open(room, users)

    async def late(page: Member) -> None:
        await asyncio.sleep(0.15)
        await page.say(spanish_48k("Mañana voy a la playa con mis amigos"))

    await asyncio.gather(ana.say(spanish_48k()), late(ben))
    queued = await ana.until(lambda e: e["type"] == "floor" and e["queue"] == [users[1].pk])
    assert queued["holder"] == users[0].pk
    first = await ana.until(final("learner"), within=30)
    second = await ana.until(
        lambda e: final("learner")(e) and e["turn"] > first["turn"] and not e["amends"],
        within=30,
    )
    assert (first["member"]["id"], second["member"]["id"]) == (users[0].pk, users[1].pk)
    await ana.until(lambda e: final("tutor")(e) and e["turn"] > second["turn"], within=30)
    assert len(emulator.sessions[0].learner_turns) == 2  # two utterances, never one mixed
    copy = await _copy_of(room, users[1], 2)
    assert [(s, n) for s, n, _ in copy if s != "tutor"] == [("peer", "Ana"), ("learner", "")]
    # Ben's kept words waited for the tutor's whole answer to Ana: it was not cut short (its
    # correction of Ana's line came with it), and the floor passed to him only after it.
    events = ana.events
    said = next(i for i, e in enumerate(events) if e is first)
    answered = next(i for i, e in enumerate(events) if i > said and e["type"] == "turn_complete")
    to_ben = next(
        i for i, e in enumerate(events) if e["type"] == "floor" and e["holder"] == users[1].pk
    )
    assert answered < to_ben
    assert not any(e["type"] == "interrupted" for e in events)
    assert await _corrected(room, users[0]) == [first["text"]]


async def test_a_members_copy_is_not_talked_in_on_its_own(emulator: Emulator) -> None:
    """The conversation socket and the typed fallback refuse a member's group copy: a Live
    session of its own would write a second story into the room's record."""
    room, users = await _room(2)
    copy = await database_sync_to_async(
        lambda: room.members.get(learner=users[0]).conversation_id
    )()
    page = Client(copy, user=users[0])
    await page.connect()
    assert await page.closed() == 4403
    http = HttpClient()
    await database_sync_to_async(http.force_login)(users[0])
    response = await database_sync_to_async(http.post)(
        reverse("tutor:message", args=[copy]), {"text": "Hola"}
    )
    assert response.status_code == 404
    assert len(emulator.sessions) == 0
