"""Connections that end as the real service ends them (docs/gemini-live.md §4.4, §5.1): a
lifetime with goAway, handles only between turns, a refused or expired resume, a drop during
the greeting and slow pongs. Through the consumer and the real SDK; the stored transcript is
checked against what the emulator heard and said."""

from __future__ import annotations

import asyncio
from itertools import pairwise

import numpy as np
import pytest

from accounts.models import User
from tests.tutor.conftest import SOCKET_TEST, Client, StartEmulator, final, spanish_48k
from tests.tutor.conversation.talk import (
    GREETING_MARK,
    TYPED,
    assert_clean,
    converse,
    join,
    saved,
    start_conversation,
)
from tutor.emulator import Fault
from tutor.emulator.behaviour import Behaviour
from tutor.emulator.lifetime import DEADLINE, REFUSED
from tutor.emulator.records import SessionRecord
from tutor.emulator.setup import BAD_HANDLE

pytestmark = SOCKET_TEST

SILENCE_20MS = np.zeros(960, np.int16).tobytes()  # 48 kHz


def _norm(text: str) -> str:
    return " ".join(text.split())


def _said_and_heard(sessions: list[SessionRecord]) -> tuple[list[str], list[str]]:
    tutor = [_norm(t) for record in sessions for t in record.tutor_turns]
    learner = [_norm(t) for record in sessions for t in record.learner_turns]
    return tutor, learner


def _one_open_at_a_time(sessions: list[SessionRecord]) -> None:
    spans = sorted((r.opened_at or 0.0, r.closed_at or float("inf")) for r in sessions)
    for (_, closed), (opened, _) in pairwise(spans):
        assert opened >= closed, "two connections of one conversation open at once"


async def _live(client: Client, pcm: bytes) -> None:
    """A microphone: 20 ms frames at real time, so a goAway can land mid-utterance."""
    step = len(SILENCE_20MS)
    for i in range(0, len(pcm) - step + 1, step):
        await client.ws.send_to(bytes_data=pcm[i : i + step])
        await asyncio.sleep(0.02)


async def test_a_conversation_rolls_over_four_connections_and_loses_nothing(
    start_emulator: StartEmulator, alice: User
) -> None:
    # Scaled from the real service (10-minute connections, 60 s notice, turns of seconds):
    # connections of 4 s with 1.5 s notice, tutor audio at a tenth of real time, so a turn
    # begun before goAway can finish inside the notice, as it does for real.
    behaviour = Behaviour(seed=7, connection_seconds=4.0, goaway_notice=1.5)
    emulator = await start_emulator(pace=0.1, behaviour=behaviour)
    conversation = await start_conversation(alice)
    client = await join(conversation, user=alice)
    spoken = 0
    while len(emulator.sessions) < 5 or spoken < 6:
        assert spoken < 20, f"only {len(emulator.sessions)} connections after {spoken} lines"
        await _live(client, SILENCE_20MS * 20 + spanish_48k())
        learner = await client.until(
            lambda e, n=spoken: (
                final("learner")(e) and not e.get("amends") and _count(client, "learner") > n
            ),
            within=30,
        )
        await client.until(
            lambda e, t=learner: final("tutor")(e) and e["turn"] > t["turn"], within=30
        )
        spoken += 1
    # Not in the middle of a rollover: a connection the end cuts before it is up counts as
    # no reconnect (the bridge never got it), though the emulator saw it open.
    await client.until(
        lambda e: (
            client.kinds().count("reconnecting")
            == client.kinds().count("resumed")
            == len(emulator.sessions) - 1
        )
    )
    await client.send(type="end")
    assert await client.closed(within=30) == 1000
    stored, turns = await saved(conversation)
    assert [s for _, s, _ in turns] == ["tutor"] + ["learner", "tutor"] * spoken, "lost or split"
    _assert_rolled_over(emulator.sessions, turns, behaviour.goaway_notice)
    print("FIGURES", spoken, _figures(emulator.sessions))
    assert stored.reconnect_count == len(emulator.sessions) - 1
    assert stored.status == "ended"


def _assert_rolled_over(
    sessions: list[SessionRecord], turns: list[tuple[int, str, str]], notice: float
) -> None:
    """Every line stored as the emulator heard and said it, greeted once, no turn cut; at
    least four goAways, each left after its turn and before the deadline, by resuming."""
    said, heard = _said_and_heard(sessions)
    assert [_norm(t) for _, s, t in turns if s == "learner"] == heard
    assert [_norm(t) for _, s, t in turns if s == "tutor"] == said
    assert sum(GREETING_MARK in t for t in said) == 1, "greeted twice"
    assert sum(r.interrupted_turns for r in sessions) == 0, "a turn was cut by a rollover"
    rollovers = [r for r in sessions if r.goaway_at is not None]
    assert len(rollovers) >= 4
    for record in rollovers[:-1]:  # the bridge left after its turn, before the deadline
        assert record.close_code == 1000 and record.close_reason != DEADLINE
        assert (record.closed_at or 0) - (record.goaway_at or 0) < notice
    for before, after in pairwise(sessions):
        assert after.resumed_from in before.handles_issued  # resumed, never started afresh
    _one_open_at_a_time(sessions)


def _figures(sessions: list[SessionRecord]) -> list[tuple[object, ...]]:
    """Per connection: close code, resumed, learner and tutor lines, seconds open."""
    return [
        (
            r.close_code,
            r.resumed_from is not None,
            len(r.learner_turns),
            len(r.tutor_turns),
            round((r.closed_at or 0) - (r.opened_at or 0), 2),
        )
        for r in sessions
    ]


def _count(client: Client, speaker: str) -> int:
    """Lines of `speaker` so far: a line completed late by transcription (`amends`) is sent
    again under its own turn number and is still one line."""
    return len({e["turn"] for e in client.events if final(speaker)(e)})


async def test_a_resume_refused_while_the_old_connection_is_held_starts_afresh(
    start_emulator: StartEmulator, alice: User
) -> None:
    """The network path died but the server still holds the session: the resume gets 1011,
    and the bridge goes on with a fresh session told the transcript, without greeting."""
    emulator = await start_emulator(pace=0, behaviour=Behaviour(seed=1))
    emulator.inject(Fault("vanish", after_turns=1, delay=30.0))
    conversation = await start_conversation(alice)
    await converse(conversation, TYPED, user=alice)
    stored, turns = await saved(conversation)
    assert_clean(stored, turns, TYPED)
    first, refused, fresh = emulator.sessions[:3]
    assert refused.close_code == 1011 and refused.close_reason == REFUSED
    assert refused.resumed_from is None and first.released_at is None  # still held
    assert fresh.resumed_from is None and not any(GREETING_MARK in t for t in fresh.tutor_turns)
    said, heard = _said_and_heard(emulator.sessions)
    assert heard == [_norm(t) for t in TYPED]
    assert [_norm(t) for _, s, t in turns if s == "tutor"] == said


async def test_an_expired_handle_starts_afresh(start_emulator: StartEmulator, alice: User) -> None:
    behaviour = Behaviour(seed=2, handle_ttl=0.1)  # shorter than the bridge's 0.5 s backoff
    emulator = await start_emulator(pace=0, behaviour=behaviour)
    emulator.inject(Fault("abort", after_turns=1))
    conversation = await start_conversation(alice)
    await converse(conversation, TYPED, user=alice)
    stored, turns = await saved(conversation)
    assert_clean(stored, turns, TYPED)
    expired, fresh = emulator.sessions[1:3]
    assert (expired.close_code, expired.close_reason) == (1008, BAD_HANDLE)
    assert fresh.resumed_from is None and not any(GREETING_MARK in t for t in fresh.tutor_turns)


@pytest.mark.parametrize("setup_handle", [1.0, 0.0], ids=["resumed", "fresh"])
async def test_a_drop_during_the_greeting_greets_once(
    start_emulator: StartEmulator, alice: User, setup_handle: float
) -> None:
    """Cut halfway through the greeting: the opener goes again (to a session resumed from the
    handle sent at setup, or a fresh one if none came) and the greeting is stored once."""
    behaviour = Behaviour(seed=3, setup_handle_chance=setup_handle)
    emulator = await start_emulator(pace=0.2, behaviour=behaviour)
    emulator.inject(Fault("abort", after_turns=0, mid_turn=True))
    conversation = await start_conversation(alice)
    await converse(conversation, TYPED[:1], user=alice)
    stored, turns = await saved(conversation)
    assert_clean(stored, turns, TYPED[:1])
    cut, again = emulator.sessions[:2]
    assert cut.tutor_turns == [] and cut.close_code == 1006  # cut before the greeting ended
    assert GREETING_MARK in again.tutor_turns[0]  # the opener was sent again: not silent
    assert bool(again.resumed_from) == bool(setup_handle)
    said, _ = _said_and_heard(emulator.sessions)
    assert sum(GREETING_MARK in t for t in said) == 1


async def test_slow_pongs_are_not_taken_for_a_dead_connection(
    start_emulator: StartEmulator, alice: User
) -> None:
    # Everything at a tenth of real time: pongs of 25-30 s become 2.5-3 s, the bridge's 20 s
    # ping interval 2 s (0.5 here, for more pings) and its 60 s ping timeout 6 s. With
    # websockets' defaults (timeout = interval, 2 s scaled) every ping would fail.
    behaviour = Behaviour(seed=4, pong_delay=(25.0, 30.0), pong_scale=0.1)
    emulator = await start_emulator(
        pace=0.5,
        behaviour=behaviour,
        GEMINI_PING_INTERVAL=0.5,
        GEMINI_PING_TIMEOUT=6.0,
    )
    conversation = await start_conversation(alice)
    await converse(conversation, TYPED, user=alice)
    stored, turns = await saved(conversation)
    assert_clean(stored, turns, TYPED)
    assert len(emulator.sessions) == 1 and stored.reconnect_count == 0
    assert len(emulator.sessions[0].pong_delays) >= 2  # pings happened, and were slow
    assert min(emulator.sessions[0].pong_delays) > 2.0
