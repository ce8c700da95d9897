"""The learner's lines, for `tutor.live.turns.TurnAssembler` (a mixin sharing its state).

One line per learner utterance, each with an id: typed lines (the consumer stores them; their
echo is swallowed, `tutor.live.echoes`) and spoken ones, assembled from transcription pieces.
`turns` explains when a line becomes final and when later pieces still belong to it; this
module holds the learner's side of those rules: the speech onset and the end of an utterance,
pieces, and the final `Transcript` of a line.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from tutor.live.echoes import Echoes
from tutor.live.events import Event, SpeechEnded, Transcript
from tutor.live.notes import join_fragments

# Quiet after which the learner's new utterance counts as ended, so that a piece arriving then
# is its own: the server must have heard it end before it transcribes it, which takes at least
# its end-of-speech silence (the emulator's 300 ms in tests, 600 ms by default; Google's is not
# documented) plus the transcription, on 3.1 more than a second (cookbook#1328). Counted both
# in the learner's audio (a stalled network is not quiet) and in time (tests push audio faster
# than real time; there the server's `resumable: false` for the new turn tells first).
UTTERANCE_END_MS = 150.0
UTTERANCE_END_S = 0.5
# Line ids are unique in the process, not per assembler: a runtime's map of lines to ordinals
# must never mistake a new line for an old one.
_LINE_IDS = itertools.count()


@dataclass
class Line:
    id: int
    fragments: list[str] = field(default_factory=list)
    started: float | None = None
    ended: float | None = None
    stored: bool = False  # its final Transcript went out
    reserved: bool = False  # its reply began before any of its words arrived
    closed: bool = False  # later fragments start a new line

    @classmethod
    def new(cls, *, reserved: bool = False) -> Line:
        return cls(next(_LINE_IDS), reserved=reserved)


class LearnerLines:
    """The learner's half of `TurnAssembler`; the attributes below are set in its `__init__`."""

    tutor_active: bool
    _emit: Callable[[Event], None]
    _clock: Callable[[], float]
    _line: Line | None
    _unanswered: int | None
    _heard: bool
    _heard_at: float
    _late: bool
    _lost: bool
    _in_progress: bool
    _onset: bool
    _onset_after_reply: bool
    _quiet_ms: float
    _echoes: Echoes
    _spoke_after_typed: bool
    _held: list[Event]

    @property
    def learner_line_open(self) -> bool:
        """The learner spoke and their line is not final yet: its words (or its end) are still
        to come. A group room passes the floor only when this is False (`tutor.group`), so each
        line is one member's."""
        line = self._line
        if self._heard:
            return True
        return bool(
            line and not line.stored and not line.closed and (line.fragments or line.reserved)
        )

    def typed(self, text: str) -> int:
        """A typed line (recorded by the consumer): its line id, for the notes about it."""
        # Earlier lines keep waiting for their echoes: the echo of a typed line may come after
        # its reply's turnComplete, up to the next turn, which is this line's (gemini-live.md
        # §10). The learner's next utterance, a newer line's echo or the deadline ends them.
        self._echoes.expect(text, self._clock())
        line = next(_LINE_IDS)
        self._unanswered, self._late, self._spoke_after_typed = line, False, False
        self._lost = False
        return line

    def expect_echo(self, text: str, *, before: int = 0) -> None:
        """Text the bridge itself sends as realtime input (the opener): not the learner's
        words, so a transcription that repeats it is swallowed like a typed line's echo.
        `before`: how many of the newest typed lines it goes upstream ahead of."""
        self._echoes.expect(text, self._clock(), before=before)

    def learner_speech(self) -> None:
        """The learner's own audio has speech in it (called before it goes upstream). While
        the tutor is not speaking that may be a new utterance: see `_begin_utterance`."""
        if not (self.tutor_active or self._onset):
            # After a reply or a lost connection, echoes still waiting are of lines typed
            # before: they come before this utterance's words, if at all.
            self._onset, self._onset_after_reply = True, self._late or self._lost
        self._heard, self._late, self._spoke_after_typed = True, False, True
        self._lost = False
        self._heard_at = self._clock()
        self._quiet_ms = 0.0

    def learner_audio(self, ms: float) -> None:
        """`ms` of learner audio went upstream (speech or not): times the quiet after speech."""
        self._quiet_ms += ms

    def learner_paused(self) -> None:
        """The learner muted (audioStreamEnd): whatever they were saying has ended."""
        self._quiet_ms = math.inf

    def learner_fragment(self, text: str, finished: bool = False) -> None:
        if self._onset and self._utterance_ended():
            self._begin_utterance()  # the server heard it end: this piece may be its first
        speech, itself = self._echoes.take(text, self._clock())  # not an echo: speech
        if itself and self._spoke_after_typed and not self._onset:
            self._echoes.clear()  # the learner's own words: earlier echoes are not coming
        for i, fragment in enumerate(speech):
            self._add_fragment(fragment, finished and itself and i == len(speech) - 1)

    def _add_fragment(self, text: str, finished: bool) -> None:
        line = self._line
        if line is None or line.closed:
            if line is not None and line.fragments and not line.stored:
                self._store(line)
            line = self._line = Line.new()
            self._unanswered, self._late = line.id, False
        now = self._clock()
        line.started = now if line.started is None else line.started
        line.ended = now
        line.fragments.append(text)
        if line.stored:
            self._emit(self._final(line, amends=True))
        else:
            self._emit(Transcript(speaker="learner", text=text, final=False, line=line.id))
            if line.reserved:  # its reply has begun: final now, then the reply's held line
                self._store(line)
                self._release()
        if finished:
            line.closed = True
            if not line.stored:
                self._store(line)

    def server_turn_began(self) -> None:
        """The server reports a turn under way (`resumable: false`). After the learner began
        a new utterance, or after a reply ended (unless its turnComplete said IN_PROGRESS:
        then it may be busy with that exchange still), that is the next turn: the server has
        taken new input, and pieces from now on are its words (one input stream: the last
        line's late pieces came before)."""
        if self._onset or (self._late and not self._in_progress):
            self._begin_utterance()

    def _utterance_ended(self) -> bool:
        if self._quiet_ms == math.inf:  # muted
            return True
        quiet_for = self._clock() - self._heard_at
        return self._quiet_ms >= UTTERANCE_END_MS and quiet_for >= UTTERANCE_END_S

    def _begin_utterance(self) -> None:
        """The learner's new utterance has ended, or its reply begins: the line before it
        takes no more words, and after a reply, echoes of lines typed before are not coming
        (they would have come first: one input stream)."""
        if self._onset_after_reply:
            self._echoes.clear()
        self._onset = self._onset_after_reply = False
        self._close_line()

    def _close_line(self) -> None:
        """Evidence of a new utterance: the answered (or reserved) line takes no more words."""
        line = self._line
        if line is not None and (line.stored or line.reserved):
            line.closed = True
            self._release()

    def _release(self) -> None:
        held, self._held = self._held, []
        for event in held:
            self._emit(event)

    def _finish_learner(self) -> None:
        line = self._line
        if line is not None and line.fragments and not line.stored:
            self._store(line)

    def _store(self, line: Line, *, interrupted: bool = False) -> None:
        line.stored = True
        self._emit(self._final(line, interrupted=interrupted))
        if line.fragments and not interrupted and not line.reserved:
            # `at` is when the last learner words arrived: with the first TutorAudio it
            # gives the response latency.
            at = line.ended if line.ended is not None else self._clock()
            self._emit(SpeechEnded(at=at))

    def _final(self, line: Line, *, interrupted: bool = False, amends: bool = False) -> Event:
        return Transcript(
            speaker="learner",
            text=join_fragments(line.fragments),
            final=True,
            interrupted=interrupted,
            started_at=line.started,
            ended_at=line.ended,
            line=line.id,
            amends=amends,
        )
