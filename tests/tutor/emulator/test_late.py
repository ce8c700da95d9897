"""Pieces held back for the learner's next input (tutor/emulator/late.py)."""

from __future__ import annotations

import asyncio

from tutor.emulator.late import Deferred
from tutor.emulator.scatter import Piece


class Wire:
    def __init__(self) -> None:
        self.sent: list[str] = []
        self.any = asyncio.Event()

    async def send(self, piece: Piece) -> None:
        await asyncio.sleep(0)  # a send takes a turn of the loop, as a socket write does
        self.sent.append(piece.text)
        self.any.set()


async def test_held_pieces_go_out_when_the_next_input_begins() -> None:
    wire = Wire()
    deferred = Deferred(wire.send)
    deferred.hold([Piece(" libros"), Piece(" hoy.", finished=True)], seconds=60)
    await asyncio.sleep(0)
    assert wire.sent == [] and deferred
    deferred.input_began()
    deferred.input_began()  # a second signal sends nothing twice
    await deferred.before_turn()
    assert wire.sent == [" libros", " hoy."] and not deferred


async def test_the_next_turn_waits_for_what_was_held_and_sends_it_first() -> None:
    wire = Wire()
    deferred = Deferred(wire.send)
    deferred.hold([Piece("a"), Piece("b")], seconds=60)
    deferred.input_began()  # under way, not done
    await deferred.before_turn()
    wire.sent.append("next turn")
    assert wire.sent == ["a", "b", "next turn"]


async def test_without_new_input_they_go_out_after_a_while() -> None:
    wire = Wire()
    deferred = Deferred(wire.send)
    deferred.hold([Piece("tarde")], seconds=0.01)
    async with asyncio.timeout(5):  # guards a hang; nothing here measures time
        await wire.any.wait()
    assert wire.sent == ["tarde"]


async def test_cancel_stops_a_timer_when_the_connection_ends() -> None:
    wire = Wire()
    deferred = Deferred(wire.send)
    deferred.hold([Piece("nunca")], seconds=0.01)
    deferred.cancel()
    await asyncio.sleep(0.05)
    assert wire.sent == []
