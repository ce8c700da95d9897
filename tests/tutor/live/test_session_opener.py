"""The opener (the bridge's request to greet, sent as realtime text), against scripted
sessions and the emulator: it goes ahead of lines typed before the session was up, only to a
session not told the conversation is under way, and it is never taken for the learner's words.
"""

from __future__ import annotations

import dataclasses

from tests.fakes import FakeLiveClient, FakeLiveSession, closed, handle, heard, said, until
from tests.fakes import turn_complete as done
from tests.tutor.live import test_session_emulator as emulated
from tests.tutor.live.scripted import SETTINGS
from tutor.emulator import Emulator
from tutor.live.config import LiveSettings, make_client
from tutor.live.continuation import CONTINUATION
from tutor.live.events import Resumed, Transcript, TurnComplete
from tutor.live.session import LiveTutor

OPENER = SETTINGS.opener or ""
UNDER_WAY = CONTINUATION.split(":")[0]  # "This conversation is already under way"


def learner_lines(events: list[object]) -> list[Transcript]:
    return [e for e in events if isinstance(e, Transcript) and e.speaker == "learner"]


async def typed_then_started(
    *connections: object, client: object = None, settings: LiveSettings = SETTINGS
) -> tuple[LiveTutor, FakeLiveClient]:
    """A tutor whose learner typed two lines before its session was up (the consumer stores a
    typed line at once, whether or not the session is connected yet)."""
    client = client or FakeLiveClient(*connections)
    tutor = LiveTutor(client, settings)  # type: ignore[arg-type]
    for text in ("hola", "0"):
        tutor.typed_line(text)
        await tutor.send_text(text, registered=True)
    await tutor.start()
    return tutor, client


async def test_lines_typed_before_the_session_is_up_do_not_make_it_a_continuation() -> None:
    tutor, client = await typed_then_started(FakeLiveSession())
    # A session told the conversation is under way does not greet and takes the opener for
    # one more line of the learner's (the emulator does, and so may the real model).
    assert UNDER_WAY not in client.connects[0]["config"].system_instruction
    assert client.sessions[0].texts_sent() == [OPENER, "hola", "0"]
    await tutor.close()


async def test_an_echo_of_the_opener_is_not_the_learners_words() -> None:
    # Realtime text may come back as an input transcription (docs/gemini-live.md §10): the
    # opener's as well as the typed lines', in the order they went up.
    session = FakeLiveSession(
        heard(OPENER[:6]),
        heard(OPENER[6:]),
        said("¡Hola, Alice!"),
        done(),
        heard("hola"),
        said("¿Qué tal?"),
        done(),
        heard("0"),
        said("¿Cero?"),
        done(),
    )
    tutor, _ = await typed_then_started(session)
    events = await until(tutor.events(), TurnComplete, count=3)
    assert learner_lines(events) == []
    await tutor.close()


async def test_speech_that_is_not_the_opener_is_still_the_learners() -> None:
    session = FakeLiveSession(heard("Buenas"), said("¡Hola!"), done())
    client = FakeLiveClient(session)
    tutor = LiveTutor(client, SETTINGS)  # type: ignore[arg-type]
    await tutor.start()
    events = await until(tutor.events(), TurnComplete)
    assert [e.text for e in learner_lines(events) if e.final] == ["Buenas"]
    await tutor.close()


async def test_a_fresh_session_told_the_conversation_is_under_way_gets_no_opener() -> None:
    # The greeting is cut by a drop after the typed lines went up, and no handle came: the
    # next session is fresh, given the transcript and told not to greet. The opener there
    # would be the learner's words; so it would be on a session resumed from that one.
    first = FakeLiveSession(said("¡Ho"), closed(1006, "abnormal closure"))
    second = FakeLiveSession(handle("h2"), closed(1006, "abnormal closure"))
    third = FakeLiveSession()
    tutor, client = await typed_then_started(first, second, third)
    await until(tutor.events(), Resumed, count=2)
    assert client.handles() == [None, None, "h2"]
    instruction = client.connects[1]["config"].system_instruction
    assert UNDER_WAY in instruction and "Learner: hola\nLearner: 0" in instruction
    assert first.texts_sent() == [OPENER, "hola", "0"]
    assert (second.texts_sent(), third.texts_sent()) == ([], [])
    await tutor.close()


async def test_the_emulator_greets_and_hears_only_the_typed_lines(emulator: Emulator) -> None:
    # The fuzz test's flake (test_consumer_fuzz.py): lines typed before `start` made the first
    # session a continuation, so the emulator took the opener for a typed line, echoed it and
    # the consumer stored it as the learner's speech; the tutor never greeted.
    client = make_client(api_key="k", base_url=emulator.base_url, ca_file=emulator.ca_file)
    settings = dataclasses.replace(emulated.SETTINGS)
    tutor, _ = await typed_then_started(client=client, settings=settings)
    events = await until(tutor.events(), TurnComplete, count=3)  # the greeting, each line
    [record] = emulator.sessions
    assert record.learner_turns == ["hola", "0"]  # the opener was not a line of the learner's
    assert learner_lines(events) == []
    await tutor.close()
