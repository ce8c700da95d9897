"""A conversation moves between two Daphne processes behind nginx and loses nothing: the page's
socket drops and comes back on the other process; the owner gets SIGTERM mid-reply; the owner
is killed. Each time the conversation goes on where it was, the transcript is whole and
unique, and the emulator never held two Live sessions of it at once."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from accounts.models import User
from tests.multiprocess.conftest import (
    Page,
    all_stored,
    cluster,
    conversation_for,
    final,
    one_open_at_a_time,
    partial,
    stored,
    whole_and_unique,
)
from tutor.conversation import protocol

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
]

SPOKEN = ("Yo soy cansado hoy, trabajé mucho.", "El fin de semana pasado fui a la playa.")
TYPED = ("Me gusta mucho el café", "Mañana voy a la playa con mis amigos")


async def test_a_reconnect_to_the_other_process_resumes_the_same_live_session(
    tmp_path: Path, redis_url: str, alice: User
) -> None:
    conversation, cookie = await conversation_for(alice)
    async with cluster(tmp_path, redis_url) as running:
        page = Page(running.proxy, conversation, cookie)
        await page.open(worker=0)
        assert page.served_by == running.address(0)
        greeting = await page.until(final("tutor"))
        await page.say(SPOKEN[0])
        said = await page.until(final("learner", after=greeting["turn"]))
        reply = await page.until(final("tutor", after=said["turn"]))
        await all_stored(conversation, running.emulator.sessions)  # between two turns

        page.drop()  # the Wi-Fi blips; the page comes back on the other process
        await page.open(worker=1)
        assert page.served_by == running.address(1)
        await page.say(SPOKEN[1])
        said = await page.until(final("learner", after=reply["turn"]))
        reply = await page.until(final("tutor", after=said["turn"]))
        await page.type(TYPED[0])
        said = await page.until(final("learner", after=reply["turn"]))
        await page.until(final("tutor", after=said["turn"]))
        assert await page.end() == protocol.CLOSE_NORMAL
        sessions = running.emulator.sessions
        print("TIMINGS", *running.timings(), sep="\n  ")

    done, turns = await stored(conversation)
    assert [r.resumed_from for r in sessions] == [None, sessions[0].handles_issued[-1]]
    one_open_at_a_time(sessions)
    whole_and_unique(turns, sessions)
    assert len(turns) == 7
    assert (done.status, done.end_reason, done.live_handle) == ("ended", "learner_ended", "")


async def test_sigterm_on_the_owner_mid_reply_moves_the_conversation(
    tmp_path: Path, redis_url: str, alice: User
) -> None:
    conversation, cookie = await conversation_for(alice)
    # Real-time tutor audio, so there is a reply to stop in the middle of; no settling, so
    # the cut reply is kept (interrupted) and the next process starts from the transcript.
    env = {"HANDOVER_SETTLE_SECONDS": "0"}
    async with cluster(tmp_path, redis_url, pace=1.0, env=env) as running:
        page = Page(running.proxy, conversation, cookie)
        await page.open(worker=0)
        greeting = await page.until(final("tutor"))
        await page.type(TYPED[0])
        said = await page.until(final("learner", after=greeting["turn"]))
        await page.until(partial("tutor"), new=True)  # the tutor is answering
        owner = running.workers[0].proc
        owner.send_signal(signal.SIGTERM)
        assert await page.closed() == protocol.CLOSE_MOVED  # the page reconnects on it
        assert await asyncio.to_thread(owner.wait, 30) == 0  # drained, then exited

        await page.open(worker=1)
        assert page.served_by == running.address(1)
        await page.type(TYPED[1])
        again = await page.until(final("learner", after=said["turn"]))
        await page.until(final("tutor", after=again["turn"]))
        assert await page.end() == protocol.CLOSE_NORMAL
        sessions = running.emulator.sessions
        print("TIMINGS", *running.timings(), sep="\n  ")

    done, turns = await stored(conversation)
    assert [(s, t) for _, s, t, _ in turns if s == "learner"] == [("learner", t) for t in TYPED]
    assert [cut for _, s, _, cut in turns if s == "tutor"] == [False, True, False]
    assert [r.resumed_from for r in sessions] == [None, None]  # fresh, from the transcript
    one_open_at_a_time(sessions)
    whole_and_unique(turns, sessions)
    assert (done.status, done.end_reason) == ("ended", "learner_ended")


async def test_a_killed_owner_loses_its_lease_and_the_next_process_carries_on(
    tmp_path: Path, redis_url: str, alice: User
) -> None:
    conversation, cookie = await conversation_for(alice)
    async with cluster(tmp_path, redis_url) as running:
        page = Page(running.proxy, conversation, cookie)
        await page.open(worker=0)
        greeting = await page.until(final("tutor"))
        await page.say(SPOKEN[0])
        said = await page.until(final("learner", after=greeting["turn"]))
        reply = await page.until(final("tutor", after=said["turn"]))
        await all_stored(conversation, running.emulator.sessions)  # the kill loses nothing
        owner = running.workers[0].proc
        owner.kill()
        await asyncio.to_thread(owner.wait, 30)
        assert await page.closed() not in (1000, *range(4000, 5000))  # a drop: it reconnects

        await page.open()  # wherever nginx sends it: the dead worker refuses, the other serves
        assert page.served_by.endswith(running.address(1))
        await page.say(SPOKEN[1])
        said = await page.until(final("learner", after=reply["turn"]))
        await page.until(final("tutor", after=said["turn"]))
        assert await page.end() == protocol.CLOSE_NORMAL
        sessions = running.emulator.sessions
        print("TIMINGS", *running.timings(), sep="\n  ")

    done, turns = await stored(conversation)
    # The dead owner stored no handle: a fresh session from the transcript, not greeting again.
    assert [r.resumed_from for r in sessions] == [None, None]
    one_open_at_a_time(sessions)
    whole_and_unique(turns, sessions)
    assert len(turns) == 5
    assert (done.status, done.end_reason) == ("ended", "learner_ended")
