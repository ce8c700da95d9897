"""Input transcription that comes later still, on models without `interactionStatus`.

2.5 and 3.1 send no `interactionStatus` to say they are done with the learner's input, and
transcribe an utterance only after it has ended: on 3.1 the transcription of one burst of
speech arrived while the learner was already saying the next, 24 times out of 24
(https://github.com/google-gemini/cookbook/issues/1328). So on those models the pieces drawn
for after `turnComplete` (`scatter.Schedule.late`) are, by seed, held back until the learner's
next input begins (speech onset, typed text, client content) or `Behaviour.late_seconds` have
passed, whichever comes first. They still go out before anything of the next turn: one input
stream, transcribed in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from tutor.emulator.scatter import Piece

Send = Callable[[Piece], Awaitable[None]]


class Deferred:
    def __init__(self, send: Send) -> None:
        self._send = send
        self._pieces: list[Piece] = []
        self._timer: asyncio.Task[None] | None = None
        self._release: asyncio.Task[None] | None = None

    def __bool__(self) -> bool:
        return bool(self._pieces)

    def hold(self, pieces: list[Piece], seconds: float) -> None:
        self._pieces += pieces
        if self._timer is None:
            self._timer = asyncio.ensure_future(self._after(seconds))

    def input_began(self) -> None:
        """The learner's next input began: what was held goes out now."""
        if self._pieces and self._release is None:
            self._release = asyncio.ensure_future(self._flush())

    async def before_turn(self) -> None:
        """A new turn begins: everything held goes out first."""
        if self._release is not None:
            await self._release
        await self._flush()

    def cancel(self) -> None:
        for task in (self._timer, self._release):
            if task is not None:
                task.cancel()

    async def _after(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        self._timer = None
        self.input_began()

    async def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        pieces, self._pieces = self._pieces, []
        try:
            for piece in pieces:
                await self._send(piece)
        finally:
            self._release = None
