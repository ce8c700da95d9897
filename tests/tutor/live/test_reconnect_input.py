"""LiveTutor across reconnects: what the learner said reaches the next connection whole and in
order, and a refused resume starts a fresh session from the transcript (tutor.live.uplink,
docs/ARCHITECTURE.md "How a conversation survives trouble")."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from tests.fakes import (
    FakeLiveSession,
    Gate,
    Gated,
    audio,
    closed,
    go_away,
    handle,
    heard,
    said,
    send_closed,
    turn_complete,
    until,
)
from tests.tutor.live.scripted import SETTINGS, started
from tutor.live.events import Reconnecting, Resumed, Transcript, TurnComplete

A, B, C = b"\x01\x00" * 8, b"\x02\x00" * 8, b"\x03\x00" * 8


def dropping(code: int) -> tuple[FakeLiveSession, Gate]:
    """A first connection: it sends handle h1, then closes with `code` once the gate opens."""
    drop = Gate()
    return FakeLiveSession(handle("h1"), drop, closed(code, "gone")), drop


class FailsAfter(FakeLiveSession):
    """A connection whose socket closes after `n` successful sends."""

    def __init__(self, n: int, *script: Any) -> None:
        super().__init__(*script)
        self.n = n

    def _record(self, kind: str, kwargs: dict[str, Any]) -> None:
        if self.n <= 0:
            raise send_closed()
        self.n -= 1
        super()._record(kind, kwargs)


async def test_audio_the_server_never_took_is_replayed_to_the_next_connection() -> None:
    first, drop = dropping(1006)
    second = FakeLiveSession()
    tutor, _, stream = await started(first, second)
    await tutor.send_audio(A)
    await tutor.send_audio(B)
    drop.open()
    await until(stream, Resumed)
    assert first.audio_sent() == [A, B]
    assert second.audio_sent() == [A, B]  # the cut utterance is heard whole, in order
    await tutor.close()


async def test_audio_the_server_took_into_a_turn_is_not_replayed() -> None:
    took, drop = Gate(), Gate()
    first = FakeLiveSession(handle("h1"), took, heard("Hola"), drop, closed(1006, "gone"))
    second = FakeLiveSession()
    tutor, _, stream = await started(first, second)
    await tutor.send_audio(A)
    took.open()
    await until(stream, Transcript)  # "Hola": the server has the utterance
    await tutor.send_audio(B)
    drop.open()
    await until(stream, Resumed)
    assert second.audio_sent() == [B]  # A is already a turn: replaying it would double it
    await tutor.close()


async def test_a_send_failing_mid_flush_loses_no_chunk() -> None:
    first, drop = dropping(1006)
    flaky = FailsAfter(2)  # opener and A go out, then the socket is gone
    third = FakeLiveSession()
    tutor, _, stream = await started(first, flaky, third)
    first.send_error = send_closed()
    for chunk in (A, B, C):
        await tutor.send_audio(chunk)
    drop.open()
    await until(stream, Resumed, count=2)
    assert flaky.audio_sent() == [A]
    assert third.audio_sent() == [A, B, C]  # A again (never taken), B not lost
    await tutor.close()


async def test_audio_stream_end_on_a_closed_socket_reaches_the_next_connection() -> None:
    first, drop = dropping(1011)
    second = FakeLiveSession()
    tutor, _, stream = await started(first, second)
    first.send_error = send_closed()
    await tutor.end_audio()
    drop.open()
    await until(stream, Resumed)
    assert ("realtime_input", {"audio_stream_end": True}) in second.sent
    await tutor.close()


async def test_after_go_away_new_input_waits_for_the_next_connection() -> None:
    finish = Gate()
    first = FakeLiveSession(
        said("Hola."), turn_complete(), handle("h1"), said("Bien"), go_away("30s"), finish,
        said("."), turn_complete(), handle("h2"),
    )  # fmt: skip
    second = FakeLiveSession()
    tutor, client, stream = await started(first, second)
    async with asyncio.timeout(5):
        while tutor._go_away_at is None:  # noqa: ASYNC110 (a private flag: goAway handled)
            await asyncio.sleep(0.01)
    await tutor.send_audio(A)
    await tutor.send_text("¿Y tú?")
    finish.open()
    await until(stream, Resumed)
    assert first.audio_sent() == [] and "¿Y tú?" not in first.texts_sent()
    assert second.audio_sent() == [A] and second.texts_sent() == ["¿Y tú?"]
    assert client.handles() == [None, "h2"]  # the handle that covers the finished turn
    await tutor.close()


async def test_a_refused_resume_starts_afresh_with_the_transcript_and_no_opener() -> None:
    first = FakeLiveSession(
        said("Hola, soy tu tutor."), turn_complete(), handle("h1"), closed(1006, "gone")
    )
    refused = closed(1011, "Internal error encountered.")  # the old connection is still held
    fresh = FakeLiveSession()
    tutor, client, stream = await started(first, refused, fresh)
    await until(stream, Resumed)
    assert client.handles() == [None, "h1", None]
    instruction = str(client.connects[2]["config"].system_instruction)
    assert "Tutor: Hola, soy tu tutor." in instruction and "already under way" in instruction
    assert fresh.texts_sent() == []  # no opener: no second greeting
    assert tutor.resumption_handle is None
    await tutor.close()


async def test_an_expired_handle_starts_afresh() -> None:
    first = FakeLiveSession(said("Hola."), turn_complete(), handle("h1"), closed(1011, "x"))
    expired = closed(1008, "Session resumption handle is invalid or expired.")
    tutor, client, stream = await started(first, expired, FakeLiveSession())
    events = await until(stream, Resumed)
    assert client.handles() == [None, "h1", None]
    assert not any(type(e).__name__ == "Error" for e in events)
    await tutor.close()


async def test_a_drop_during_the_greeting_asks_again_and_keeps_one_greeting() -> None:
    first = FakeLiveSession(handle("h0"), said("¡Hola! Soy"), closed(1006, "gone"))
    second = FakeLiveSession(said("¡Hola! Soy tu tutor."), turn_complete())
    tutor, _, stream = await started(first, second)
    events = await until(stream, TurnComplete)
    assert first.texts_sent() == [SETTINGS.opener] and second.texts_sent() == [SETTINGS.opener]
    finals = [e.text for e in events if getattr(e, "final", False)]
    assert finals == ["¡Hola! Soy tu tutor."]  # the cut greeting is not stored
    await tutor.close()


async def test_audio_during_a_reconnect_is_bounded_flushed_in_order_then_live_again() -> None:
    (first, drop), gate = dropping(1011), Gate()
    second = FakeLiveSession()
    settings = dataclasses.replace(SETTINGS, audio_buffer_ms=100)  # 3200 bytes
    tutor, _, stream = await started(first, Gated(second, gate), settings=settings)
    drop.open()
    await until(stream, Reconnecting)
    await gate.reached.wait()  # connect() is under way, nothing is live
    chunks = [bytes([i]) * 1000 for i in range(5)]
    for chunk in chunks:
        await tutor.send_audio(chunk)
    await tutor.send_text("¿me oyes?")
    await tutor.end_audio()
    gate.open()
    await until(stream, Resumed)
    assert b"".join(second.audio_sent()) == (chunks[1] + chunks[2] + chunks[3] + chunks[4])[-3200:]
    assert tutor.dropped_audio_bytes == 5000 - 3200
    assert second.sent[-2:] == [  # in the order they were given
        ("realtime_input", {"text": "¿me oyes?"}),
        ("realtime_input", {"audio_stream_end": True}),
    ]
    await tutor.send_audio(b"\x09\x00")
    assert second.audio_sent()[-1] == b"\x09\x00"
    await tutor.close()


async def test_audio_that_meets_a_closed_socket_is_kept_for_the_next_connection() -> None:
    first, drop = dropping(1011)
    second = FakeLiveSession()
    tutor, _, stream = await started(first, second)
    first.send_error = send_closed()
    await tutor.send_audio(b"\x05\x00" * 4)
    await tutor.send_audio(b"\x06\x00" * 4)
    drop.open()
    await until(stream, Resumed)
    assert second.audio_sent() == [b"\x05\x00" * 4, b"\x06\x00" * 4]
    await tutor.close()


async def test_an_echo_cut_by_a_dropped_connection_stays_out_of_the_next_lines() -> None:
    """bench/soak.py's split line, as the bridge saw it: one piece of a typed line's echo, a
    reply cut by a 1011, then, resumed, the next typed line's echo and its reply."""
    typed = Gate()
    first = FakeLiveSession(
        said("Hola."), turn_complete(), handle("h1"), typed,
        heard("Mañana voy a"), audio(b"\x00\x00"), said("¡Interesante!"), closed(1011, "x"),
    )  # fmt: skip
    again = Gate()
    second = FakeLiveSession(
        again, heard("Mañana voy a la playa"), heard(" (frase 3)"), said("Bien."), turn_complete()
    )
    tutor, _, stream = await started(first, second)
    await until(stream, TurnComplete)  # the greeting
    await tutor.send_text("Mañana voy a la playa (frase 2)")
    typed.open()
    events = await until(stream, Resumed)
    await tutor.send_text("Mañana voy a la playa (frase 3)")
    again.open()
    events += await until(stream, TurnComplete)
    assert [e for e in events if isinstance(e, Transcript) and e.speaker == "learner"] == []
    finals = [(e.text, e.interrupted) for e in events if isinstance(e, Transcript) and e.final]
    assert finals == [("¡Interesante!", True), ("Bien.", False)]
    await tutor.close()
