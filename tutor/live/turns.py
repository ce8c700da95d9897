"""Turn assembly for `tutor.live.session`: transcription fragments and tool calls -> typed events.

Pure Python (no google-genai, no I/O), so the ordering rules are easy to read and test. The
real service promises NO ordering between the learner's input transcription and the tutor's
reply (docs/gemini-live.md §4.4, §10): pieces of one utterance may come before, during and after
the reply, even after `turnComplete`, and on 3.8 NON_BLOCKING tool calls may too. So:

- each learner utterance is one *line* with an id. Its fragments are partial Transcripts at
  once; the line becomes final (one Transcript, plus SpeechEnded) at the first sign of the tutor
  answering (audio, output transcription, tool call), at `finished`, or at turnComplete if the
  tutor never answered;
- fragments that arrive after that belong to the SAME line until there is evidence of a new
  utterance: the transcription's `finished`, a barge-in (`interrupted`), learner speech after
  the reply's turnComplete (`learner_speech`, from the learner's own audio), `interactionStatus`
  IDLE, or the start of the next reply. Each late fragment re-emits the whole line with
  `amends=True`; the consumer updates the stored turn and its caption instead of adding one;
- if the learner spoke but no word has arrived when the tutor starts answering, the line is
  reserved: the reply's final tutor line waits until the learner's first words (or evidence
  that none are coming), so lines are stored learner first, then tutor, with no gap;
- every note (correction, phrase) carries the line the reply answers. A tool call after
  turnComplete with no new learner input since is a late note of that reply: it never opens a
  tutor turn;
- tutor fragments become one final tutor Transcript at turnComplete (interrupted if a barge-in
  happened), then TurnComplete; a turnComplete with nothing in flight emits nothing;
- typed text is the consumer's to record (`typed` gives its line id); an input transcription
  that merely repeats it is swallowed, but only within ECHO_SECONDS and before any other
  spoken fragment, so a typed line is never matched against later speech.
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from tutor.live.events import (
    CorrectionNoted,
    Event,
    Interrupted,
    PhraseNoted,
    SpeechEnded,
    Transcript,
    TurnComplete,
    TutorAudio,
)
from tutor.live.notes import CORRECTION_KINDS, join_fragments, normal, note_event

__all__ = ["CORRECTION_KINDS", "ECHO_SECONDS", "TurnAssembler", "join_fragments", "note_event"]

# How long a typed line waits for its echo: the real service does not promise one at all.
ECHO_SECONDS = 15.0
# Line ids are unique in the process, not per assembler: a runtime's map of lines to ordinals
# must never mistake a new line for an old one.
_LINE_IDS = itertools.count()


@dataclass
class _Line:
    id: int
    fragments: list[str] = field(default_factory=list)
    started: float | None = None
    ended: float | None = None
    stored: bool = False  # its final Transcript went out
    reserved: bool = False  # its reply began before any of its words arrived
    closed: bool = False  # later fragments start a new line


class TurnAssembler:
    """Keeps the text of the exchange in flight. Times are `time.monotonic()` seconds."""

    def __init__(self, emit: Callable[[Event], None]) -> None:
        self._emit = emit
        self._line: _Line | None = None  # the spoken line fragments join
        self._unanswered: int | None = None  # newest learner line since the last reply began
        self._reply_line: int | None = None  # the learner line the current/last reply answers
        self._heard = False  # learner speech since the last reply began
        self._heard_at = 0.0  # when the learner's audio last had speech in it
        self._late = False  # after a turnComplete, before new learner input
        # (normalised typed line, deadline) oldest first: two lines typed before the first
        # echo arrives must both be recognised.
        self._echoes: deque[tuple[str, float]] = deque(maxlen=8)
        self._echoed: list[str] = []
        self._held: list[Event] = []  # the tutor's final line, waiting for a reserved line
        self._new_tutor_turn()

    def _new_tutor_turn(self) -> None:
        self._tutor: list[str] = []
        self._tutor_started: float | None = None
        self.tutor_active = False
        self.interrupted = False

    @property
    def in_turn(self) -> bool:
        """True while the learner has words pending or the tutor is answering."""
        line = self._line
        return self.tutor_active or bool(line and line.fragments and not line.stored)

    # -- the learner ------------------------------------------------------------------

    def typed(self, text: str) -> int:
        """A typed line (recorded by the consumer): its line id, for the notes about it."""
        # Earlier lines keep waiting for their echoes: the echo of a typed line may come after
        # its reply's turnComplete, up to the next turn, which is this line's (gemini-live.md
        # §10). Real speech (`learner_speech`), a newer line's echo or the deadline ends them.
        self._echoes.append((normal(text), time.monotonic() + ECHO_SECONDS))
        line = next(_LINE_IDS)
        self._unanswered, self._late = line, False
        return line

    def learner_speech(self) -> None:
        """The learner's own audio has speech in it. After the reply's turnComplete that is a
        new utterance: the answered line takes no more fragments."""
        if self._late:  # a reply ended since: its echo, like its late pieces, came before
            self._echoes.clear()
            self._echoed = []
        self._heard, self._late = True, False
        self._heard_at = time.monotonic()
        if not self.tutor_active:
            self._close_line()

    def learner_fragment(self, text: str, finished: bool = False) -> None:
        if self._is_echo(text):
            return
        line = self._line
        if line is None or line.closed:
            if line is not None and line.fragments and not line.stored:
                self._store(line)
            line = self._line = _Line(next(_LINE_IDS))
            self._unanswered, self._late = line.id, False
        now = time.monotonic()
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

    def _is_echo(self, text: str) -> bool:
        now = time.monotonic()
        while self._echoes and self._echoes[0][1] < now:
            self._echoes.popleft()  # the real service may never echo typed text
            self._echoed = []
        if not self._echoes:
            return False
        if self._echoed and not self._echo_goes_on(text) and self._begins_newer_echo(text):
            # Nothing promises the rest of an echo (§10): what came of the older line's was
            # an echo all the same, and this piece begins the next line's.
            self._echoes.popleft()
            self._echoed = []
        if not self._echoed:
            self._pick_echo(text)
        heard = normal(join_fragments([*self._echoed, text]))
        if self._echoes[0][0].startswith(heard):
            self._echoed.append(text)
            if heard == self._echoes[0][0]:
                self._echoes.popleft()
                self._echoed = []
            return True
        held, self._echoed = self._echoed, []
        self._echoes.clear()  # real speech: the echoes are not coming
        for fragment in held:  # not an echo after all: nothing is lost
            self.learner_fragment(fragment)
        return False

    def _echo_goes_on(self, text: str) -> bool:
        return self._echoes[0][0].startswith(normal(join_fragments([*self._echoed, text])))

    def _begins_newer_echo(self, text: str) -> bool:
        heard = normal(text)
        return any(line.startswith(heard) for line, _ in itertools.islice(self._echoes, 1, None))

    def _pick_echo(self, text: str) -> None:
        """The newest waiting line this first piece can begin: older ones were never echoed.
        When a piece could begin several ("gusta" of "gusta" and of "gusta me"), the newer wins."""
        heard = normal(text)
        fits = [i for i, (line, _) in enumerate(self._echoes) if line.startswith(heard)]
        for _ in range(fits[-1] if fits else len(self._echoes) - 1):
            self._echoes.popleft()

    def _drop_unfinished_echo(self) -> None:
        """The connection is gone: the rest of an echo under way was on it."""
        if self._echoed:
            self._echoes.popleft()
            self._echoed = []

    # -- the tutor --------------------------------------------------------------------

    def tutor_audio(self, pcm: bytes) -> None:
        self.tutor_answering()
        if not self.interrupted:  # stragglers after a barge-in must not play
            self._emit(TutorAudio(pcm=pcm))

    def tutor_fragment(self, text: str) -> None:
        self.tutor_answering()
        self._tutor.append(text)
        self._emit(Transcript(speaker="tutor", text=text, final=False))

    def tutor_answering(self) -> None:
        if self.tutor_active:
            return
        self.tutor_active, self._late = True, False
        self._tutor_started = time.monotonic()
        line = self._line
        if line is not None and line.reserved:
            self._close_line()  # the last reply's line never got words: a new reply now
        elif line is not None and not line.stored and line.fragments:
            self._store(line)
        if self._unanswered is None and self._heard:
            # Spoken words not transcribed yet: this reply's final line will wait for them,
            # so the learner's line is still stored first.
            line = self._line = _Line(next(_LINE_IDS), reserved=True)
            self._unanswered = line.id
            self._emit(SpeechEnded(at=self._heard_at))  # from the audio: no words to time
        if self._unanswered is not None:
            self._reply_line = self._unanswered
        self._unanswered, self._heard = None, False

    def tool_call(self) -> None:
        """A toolCall arrived. One after turnComplete with no new learner input since is late
        (NON_BLOCKING on 3.8): it opens no tutor turn, its notes are about the last reply's line."""
        if not (self.tutor_active or self._late):
            self.tutor_answering()

    def note(self, event: CorrectionNoted | PhraseNoted) -> None:
        """A note from the current toolCall, about the line the reply answers."""
        self._emit(replace(event, line=self._reply_line))

    def barge_in(self) -> None:
        self.interrupted = True
        self._close_line()  # words from now on are the barge-in's
        self._emit(Interrupted())

    def turn_complete(self, idle: bool = False) -> None:
        """`idle`: `interactionStatus` IDLE, the server is done with the learner's input. Without
        it (IN_PROGRESS, or no status at all) late pieces and notes may still follow."""
        line = self._line
        pending = bool(line and line.fragments and not line.stored)
        if self.tutor_active or self.interrupted or pending:
            if not self.interrupted:
                self._finish_learner()
            self._finish_tutor(self.interrupted)
            self._emit(TurnComplete(interrupted=self.interrupted))
            self._new_tutor_turn()
            self._late = True
        if idle:
            self._close_line()  # the server is done with the learner's input

    def abandon_tutor(self) -> None:
        """Forget the tutor's words in flight: a greeting cut by a drop is spoken again whole."""
        self._new_tutor_turn()

    def cut(self) -> None:
        """The connection is gone: whatever was in flight is final, marked interrupted."""
        self._drop_unfinished_echo()
        line = self._line
        if line is not None and line.fragments and not line.stored:
            self._store(line, interrupted=True)
        if line is not None:
            line.closed = True
        self._release()
        if self.tutor_active:
            self._finish_tutor(True)
            self._emit(TurnComplete(interrupted=True))
        self._new_tutor_turn()

    # -- final lines ------------------------------------------------------------------

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

    def _store(self, line: _Line, *, interrupted: bool = False) -> None:
        line.stored = True
        self._emit(self._final(line, interrupted=interrupted))
        if line.fragments and not interrupted and not line.reserved:
            # `at` is when the last learner words arrived: with the first TutorAudio it
            # gives the response latency.
            at = line.ended if line.ended is not None else time.monotonic()
            self._emit(SpeechEnded(at=at))

    def _final(self, line: _Line, *, interrupted: bool = False, amends: bool = False) -> Event:
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

    def _finish_tutor(self, interrupted: bool) -> None:
        text = join_fragments(self._tutor)
        if not text:
            return
        final = Transcript(
            speaker="tutor",
            text=text,
            final=True,
            interrupted=interrupted,
            started_at=self._tutor_started,
            ended_at=time.monotonic(),
        )
        line = self._line
        if line is not None and line.reserved and not (line.stored or line.closed):
            self._held.append(final)  # after the learner's line, when its words come
        else:
            self._emit(final)
