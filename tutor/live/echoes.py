"""Typed lines waiting for their echo, for `tutor.live.turns`.

The consumer stores a typed line itself. The real service may send back an input
transcription that repeats it, or not: nothing promises the echo (docs/gemini-live.md §10).
`Echoes` tells such an echo from speech:

- a line waits at most ECHO_SECONDS for its echo;
- echoes come in the order the lines were typed (one input stream): a piece that completes
  line i means the lines typed before it were never echoed;
- pieces are matched against every waiting line they could spell, so "gusta" may begin the
  echo of "gusta" or of "gusta me" until the next piece tells which;
- an echo may be left unfinished (its connection was lost, or the service just stopped): a
  piece that begins the echo of a line typed later ends the unfinished one, whose pieces were
  an echo all the same;
- a piece that neither continues nor begins an echo is not one: it comes back, with any
  pieces held for an echo that turned out to be speech, to be kept as the learner's words.
"""

from __future__ import annotations

from collections import deque

from tutor.live.notes import join_fragments, normal

# How long a typed line waits for its echo: the real service does not promise one at all.
ECHO_SECONDS = 15.0


class Echoes:
    def __init__(self) -> None:
        # (normalised typed line, deadline), oldest first: several lines may be typed before
        # the first echo arrives.
        self._waiting: deque[tuple[str, float]] = deque(maxlen=8)
        self._heard: list[str] = []  # the pieces of the echo under way

    def __bool__(self) -> bool:
        return bool(self._waiting)

    def expect(self, text: str, now: float, *, before: int = 0) -> None:
        """Wait for the echo of `text`; `before`: it goes upstream ahead of that many of the
        newest waiting lines (they were typed earlier but are still held for the connection),
        so its echo comes first."""
        if len(self._waiting) == self._waiting.maxlen:
            self._waiting.popleft()  # the oldest gives up, as `append` would make it
        at = max(len(self._waiting) - before, 0)
        self._waiting.insert(at, (normal(text), now + ECHO_SECONDS))

    def clear(self) -> None:
        """The learner spoke since: echoes of earlier lines are not coming."""
        self._waiting.clear()
        self._heard = []

    def drop_unfinished(self) -> None:
        """The connection is gone: the rest of an echo under way was on it."""
        if self._heard:
            self._finish_heard()

    def take(self, piece: str, now: float) -> tuple[list[str], bool]:
        """(the pieces to keep as speech, in order; whether `piece` is among them, last)."""
        while self._waiting and self._waiting[0][1] < now:
            self._waiting.popleft()  # the real service may never echo typed text
        if self._heard and not self._fits(join_fragments(self._heard)):
            self._heard = []  # an echo outlived its line's wait: it was one all the same
        if not self._waiting:
            return [piece], True
        if self._fits(join_fragments([*self._heard, piece])):
            self._heard.append(piece)
            self._settle()
            return [], False
        if not self._heard:
            return [piece], True
        if self._complete() is not None or self._restarts(piece):
            self._finish_heard()  # what came was an echo, whole or left unfinished
            return self.take(piece, now)
        held, self._heard = self._heard, []  # not an echo after all: nothing is lost
        speech, itself = self.take(piece, now)
        return [*held, *speech], itself

    def _restarts(self, piece: str) -> bool:
        """Whether `piece` begins the echo of a line typed after the one the pieces heard so
        far began: then those were an echo left unfinished. A piece that could only begin
        that same line again means they were not its echo (an echo is not said twice)."""
        began = self._lines(join_fragments(self._heard))[0]
        return any(line > began for line in self._lines(piece))

    def _lines(self, text: str) -> list[int]:
        """The waiting lines `text` could be the start of, oldest first."""
        heard = normal(text)
        return [i for i, (line, _) in enumerate(self._waiting) if line.startswith(heard)]

    def _fits(self, text: str) -> bool:
        return bool(self._lines(text))

    def _complete(self) -> int | None:
        """The oldest waiting line the pieces heard spell whole, if any."""
        heard = normal(join_fragments(self._heard))
        return next((i for i, (line, _) in enumerate(self._waiting) if line == heard), None)

    def _settle(self) -> None:
        """Pieces that spell a line whole end its echo, unless they could still grow into a
        longer waiting line's ("gusta" of "gusta me"): then the next piece decides."""
        done = self._complete()
        if done is None:
            return
        heard = normal(join_fragments(self._heard))
        if all(self._waiting[i][0] == heard for i in self._lines(heard)):
            self._finish_heard()

    def _finish_heard(self) -> None:
        """The echo under way is over: its line, and any typed before it, wait no more."""
        done = self._complete()
        lines = self._lines(join_fragments(self._heard))
        line = done if done is not None else lines[0] if lines else -1
        for _ in range(line + 1):
            self._waiting.popleft()
        self._heard = []
