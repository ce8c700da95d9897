"""What LiveTutor gives a process that hands its conversation to another: a handle only when a
session resumed from it has heard everything (`resumable_handle`), a bounded wait for the turn
in flight (`settle`), and a first connection that resumes from a handle it was given."""

from __future__ import annotations

import dataclasses

from tests.fakes import (
    FakeLiveClient,
    FakeLiveSession,
    Gate,
    closed,
    handle,
    said,
    turn_complete,
    until,
)
from tutor.live.config import LiveSettings
from tutor.live.events import Transcript, TurnComplete
from tutor.live.session import LiveTutor

SETTINGS = LiveSettings(
    model="gemini-3.8-live",
    system_instruction="Eres un tutor de español.",
    voice="Kore",
    backoff=0.001,
    connect_timeout=0.2,
)


async def test_the_handle_after_the_last_turn_is_resumable_until_input_goes_up() -> None:
    session = FakeLiveSession(said("Hola."), turn_complete(), handle("h1"))
    tutor = LiveTutor(FakeLiveClient(session), SETTINGS)  # type: ignore[arg-type]
    await tutor.start()
    await until(tutor.events(), TurnComplete)
    await tutor.settle(5.0)
    assert tutor.resumable_handle() == "h1"
    await tutor.send_text("Yo soy cansado")  # h1 was issued before this line
    assert tutor.resumable_handle() is None
    session.push(said("Bien."), turn_complete(), handle("h2"))
    await until(tutor.events(), TurnComplete)
    await tutor.settle(5.0)
    assert tutor.resumable_handle() == "h2"  # h2 came after the reply to it
    tutor.heard_speech()  # the learner speaks again: h2 never heard it
    assert tutor.resumable_handle() is None
    await tutor.close()


async def test_settle_waits_for_the_turn_in_flight_and_its_handle_within_the_bound() -> None:
    gate = Gate()
    session = FakeLiveSession(said("Hola."), turn_complete(), handle("h1"), said("Y tú"), gate)
    session.push(turn_complete(), handle("h2"))
    tutor = LiveTutor(FakeLiveClient(session), SETTINGS)  # type: ignore[arg-type]
    await tutor.start()
    await until(tutor.events(), Transcript, count=2)  # the greeting, then "Y tú" in flight
    await gate.reached.wait()
    await tutor.settle(0.05)  # the bound runs out: the turn is still going
    assert tutor.resumable_handle() is None  # h1 predates the turn in flight
    gate.open()
    await tutor.settle(5.0)
    assert tutor.resumable_handle() == "h2"
    await tutor.close()


async def test_the_first_connection_resumes_from_the_handle_it_was_given() -> None:
    settings = dataclasses.replace(SETTINGS, resume_handle="h0", history=(("tutor", "Hola."),))
    client = FakeLiveClient(FakeLiveSession())
    tutor = LiveTutor(client, settings)  # type: ignore[arg-type]
    await tutor.start()
    assert client.handles() == ["h0"]
    assert client.connects[0]["config"].system_instruction == SETTINGS.system_instruction
    assert client.sessions[0].texts_sent() == []  # no opener
    await tutor.close()


async def test_a_refused_handle_starts_fresh_from_the_transcript() -> None:
    settings = dataclasses.replace(SETTINGS, resume_handle="h0", history=(("tutor", "Hola."),))
    refused = closed(1011, "Internal error encountered.")  # its old connection still held
    client = FakeLiveClient(refused, FakeLiveSession())
    tutor = LiveTutor(client, settings)  # type: ignore[arg-type]
    await tutor.start()
    assert client.handles() == ["h0", None]
    assert "Tutor: Hola." in client.connects[1]["config"].system_instruction
    await tutor.close()
