"""LiveTutor against scripted sessions: goAway, drops and retries, and the failures that end
the conversation with one clear error (docs/ARCHITECTURE.md, "Reconnection rules")."""

from __future__ import annotations

import dataclasses

import pytest
from websockets.datastructures import Headers
from websockets.exceptions import InvalidStatus
from websockets.http11 import Response

from tests.fakes import (
    NEVER_READY,
    FakeLiveSession,
    closed,
    go_away,
    handle,
    heard,
    said,
    strip_times,
    turn_complete,
    until,
)
from tests.tutor.live.scripted import SETTINGS, learner, started
from tutor.live.events import (
    Error,
    Reconnecting,
    Resumed,
    Transcript,
    TurnComplete,
)
from tutor.live.texts import NOT_SET_UP

# -- goAway and reconnection ------------------------------------------------------------------


async def test_go_away_between_turns_reconnects_with_the_newest_handle_and_no_opener() -> None:
    first = FakeLiveSession(
        handle("h1"), said("¡Hola!"), turn_complete(), handle("h2"), handle("h3", False), go_away()
    )
    second = FakeLiveSession(said("Sigo aquí."), turn_complete())
    tutor, client, stream = await started(first, second)
    events = strip_times(await until(stream, TurnComplete, count=2))
    assert [e for e in events if isinstance(e, Reconnecting | Resumed)] == [
        Reconnecting(attempt=1, reason="go_away"),
        Resumed(reconnects=1),
    ]
    assert client.handles() == [None, "h2"]
    assert first.closed
    assert second.texts_sent() == []  # no opener: no second greeting
    assert (tutor.reconnects, tutor.resumption_handle) == (1, "h2")
    await tutor.close()


async def test_go_away_mid_turn_lets_the_turn_finish_first() -> None:
    first = FakeLiveSession(
        handle("h1"), said("Hola"), go_away("30s"), said(" amigo"), turn_complete(), handle("h2")
    )
    tutor, client, stream = await started(first, FakeLiveSession())
    events = strip_times(await until(stream, Resumed))
    assert events[-4:] == [
        Transcript(speaker="tutor", text="Hola amigo", final=True),
        TurnComplete(interrupted=False),
        Reconnecting(attempt=1, reason="go_away"),
        Resumed(reconnects=1),
    ]
    assert client.handles() == [None, "h2"]  # it waited for the handle covering the turn
    await tutor.close()


async def test_go_away_with_no_time_left_cuts_the_turn_and_keeps_its_text() -> None:
    # A turn after the greeting (a greeting cut short is dropped and asked for again).
    first = FakeLiveSession(
        said("Hola."), turn_complete(), handle("h1"), heard("Quiero"), said("Vale"), go_away("0s")
    )
    tutor, _, stream = await started(first, FakeLiveSession())
    events = strip_times(await until(stream, Resumed))
    assert events[-4:] == [
        Transcript(speaker="tutor", text="Vale", final=True, interrupted=True),
        TurnComplete(interrupted=True),
        Reconnecting(attempt=1, reason="go_away"),
        Resumed(reconnects=1),
    ]
    assert Transcript(speaker="learner", text="Quiero", final=True) in events
    await tutor.close()


async def test_the_close_after_a_go_away_is_not_counted_as_a_failure() -> None:
    first = FakeLiveSession(
        said("Hola."), turn_complete(), handle("h1"), said("Un"), go_away("30s"), closed(1011, "x")
    )
    tutor, _, stream = await started(first, FakeLiveSession(), settings=SETTINGS)
    events = strip_times(await until(stream, Resumed))
    assert Reconnecting(attempt=1, reason="go_away") in events
    assert Transcript(speaker="tutor", text="Un", final=True, interrupted=True) in events
    await tutor.close()


async def test_an_abrupt_close_keeps_the_learners_words_and_resumes() -> None:
    first = FakeLiveSession(handle("h1"), heard("Quiero un"), closed(1006, "abnormal closure"))
    second = FakeLiveSession(heard("café"), said("Claro."), turn_complete())
    tutor, client, stream = await started(first, second)
    events = strip_times(await until(stream, TurnComplete))
    assert events[:4] == [
        learner("Quiero un"),
        Transcript(speaker="learner", text="Quiero un", final=True, interrupted=True),
        Reconnecting(attempt=1, reason="close_1006"),
        Resumed(reconnects=1),
    ]
    assert Transcript(speaker="learner", text="café", final=True) in events
    assert client.handles() == [None, "h1"]
    await tutor.close()


async def test_1011_retries_back_off_and_a_completed_turn_resets_the_count() -> None:
    settings = dataclasses.replace(SETTINGS, max_retries=2)
    tutor, client, stream = await started(
        FakeLiveSession(handle("h1"), closed(1011, "Internal error encountered.")),
        closed(1011, "The service is currently unavailable."),
        FakeLiveSession(said("Ya."), turn_complete(), closed(1011, "again")),
        FakeLiveSession(),
        settings=settings,
    )
    events = strip_times(await until(stream, Resumed, count=2))
    assert [e for e in events if isinstance(e, Reconnecting | Resumed)] == [
        Reconnecting(attempt=1, reason="close_1011"),
        # A 1011 answering a resume's setup is a refusal: the next try is a fresh session.
        Reconnecting(attempt=2, reason="resume_refused"),
        Resumed(reconnects=1),
        Reconnecting(attempt=1, reason="close_1011"),
        Resumed(reconnects=2),
    ]
    assert client.handles() == [None, "h1", None, None]
    await tutor.close()


async def test_retries_are_bounded_then_one_unavailable_error_ends_the_events() -> None:
    first = FakeLiveSession(closed(1011, "Internal error encountered."))
    failures = [closed(1011, "The service is currently unavailable.") for _ in range(2)]
    settings = dataclasses.replace(SETTINGS, max_retries=2)
    tutor, client, stream = await started(first, *failures, FakeLiveSession(), settings=settings)
    events = await until(stream, Error)
    assert [type(e) for e in events] == [Reconnecting, Reconnecting, Error]
    error = events[-1]
    assert isinstance(error, Error) and (error.code, error.fatal) == ("upstream_unavailable", True)
    assert len(client.connects) == 3  # the first connection, then 2 retries that failed
    assert [e async for e in stream] == []
    await tutor.close()


async def test_a_missing_setup_complete_times_out_and_is_retried() -> None:
    tutor, client, _ = await started(NEVER_READY, FakeLiveSession())
    assert len(client.connects) == 2
    assert client.sessions[0].texts_sent() == ["Saluda al alumno."]
    await tutor.close()


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (closed(1008, "API key not valid. Please pass a valid API key."), "upstream_auth"),
        (closed(1008, "models/x is not found for API version v1beta"), "upstream_config"),
        (closed(1007, "Request contains an invalid argument."), "upstream_config"),
        (closed(1011, "[ORIGINAL ERROR] RESOURCE_EXHAUSTED: Maximum concurrent"), "upstream_quota"),
        (InvalidStatus(Response(403, "Forbidden", Headers())), "upstream_auth"),
        (InvalidStatus(Response(429, "Too Many Requests", Headers())), "upstream_quota"),
    ],
)
async def test_fatal_failures_are_one_clear_error_without_retry(
    failure: BaseException, code: str
) -> None:
    tutor, client, stream = await started(failure, FakeLiveSession())
    events = [e async for e in stream]
    assert len(events) == 1 and isinstance(events[0], Error)
    assert (events[0].code, events[0].fatal) == (code, True)
    assert len(client.connects) == 1
    await tutor.close()


async def test_error_messages_never_contain_the_api_key() -> None:
    leak = closed(1008, "API key fake-key-123 not valid")
    tutor, _, stream = await started(leak)
    [error] = [e async for e in stream]
    assert isinstance(error, Error) and "fake-key-123" not in error.message
    await tutor.close()


async def test_a_fatal_error_mid_conversation_flushes_the_turn_first() -> None:
    first = FakeLiveSession(heard("Me llamo"), closed(1008, "API key expired"))
    tutor, _, stream = await started(first)
    events = strip_times([e async for e in stream])
    assert events[1:] == [
        Transcript(speaker="learner", text="Me llamo", final=True, interrupted=True),
        Error(code="upstream_auth", message=NOT_SET_UP),
    ]
    await tutor.close()
