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
  utterance: the transcription's `finished`, a barge-in (`interrupted`), `interactionStatus`
  IDLE, the start of the next reply or the server reporting the next turn under way
  (`resumable: false`), or a new utterance of the learner's that has ENDED (`learner_speech`,
  then quiet in their audio and in time). Pieces that arrive while the learner is still
  saying something new are late pieces of what came before: a model
  transcribes an utterance once it has ended (on 3.1 the transcription of one burst arrives
  during the next, https://github.com/google-gemini/cookbook/issues/1328), and 2.5 and 3.1
  send no `interactionStatus` to say they are done. Each late fragment re-emits the whole line
  with `amends=True`; the consumer updates the stored turn and its caption instead of adding one;
- if the learner spoke but no word has arrived when the tutor starts answering, the line is
  reserved: the reply's final tutor line waits until the learner's first words (or evidence
  that none are coming), so lines are stored learner first, then tutor, with no gap;
- every note (correction, phrase) carries the line the reply answers. A tool call after
  turnComplete with no new learner input since is a late note of that reply: it never opens a
  tutor turn. One after a barge-in, with the learner's newer line known, is about that line
  even before the cut reply's turnComplete;
- tutor fragments become one final tutor Transcript at turnComplete (interrupted if a barge-in
  happened), then TurnComplete; a turnComplete with nothing in flight emits nothing, and one
  that answered nothing because the model waits for more (`turnCompleteReason`
  NEED_MORE_INPUT) leaves the learner's line open for what they say next;
- typed text is the consumer's to record (`typed` gives its line id); an input transcription
  that merely repeats it is swallowed (`tutor.live.echoes`), but only within ECHO_SECONDS and
  before the learner's next utterance, so a typed line is never matched against later speech.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from tutor.live.echoes import ECHO_SECONDS, Echoes
from tutor.live.events import (
    CorrectionNoted,
    Event,
    Interrupted,
    PhraseNoted,
    SpeechEnded,
    Transcript,
    TurnComplete,
    TutorAudio,
    UpgradeNoted,
)
from tutor.live.learner_lines import UTTERANCE_END_MS, UTTERANCE_END_S, LearnerLines, Line
from tutor.live.notes import CORRECTION_KINDS, join_fragments, note_event

__all__ = [
    "CORRECTION_KINDS",
    "ECHO_SECONDS",
    "UTTERANCE_END_MS",
    "UTTERANCE_END_S",
    "TurnAssembler",
    "join_fragments",
    "note_event",
]


class TurnAssembler(LearnerLines):
    """Keeps the text of the exchange in flight. Times are `clock()` seconds (monotonic)."""

    def __init__(
        self, emit: Callable[[Event], None], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._emit, self._clock = emit, clock
        self._line: Line | None = None  # the spoken line fragments join
        self._unanswered: int | None = None  # newest learner line since the last reply began
        self._reply_line: int | None = None  # the learner line the current/last reply answers
        self._heard = False  # learner speech since the last reply began
        self._heard_at = 0.0  # when the learner's audio last had speech in it
        self._late = False  # after a turnComplete, before new learner input
        self._lost = False  # the connection was lost since the learner's last input
        self._in_progress = False  # the last turnComplete said IN_PROGRESS
        # The learner began a new utterance while the tutor was not speaking; until it ends,
        # pieces are late ones of what came before (`_onset_after_reply`: and a reply had ended).
        self._onset = self._onset_after_reply = False
        self._quiet_ms = 0.0  # learner audio since their last speech
        self._echoes = Echoes()
        self._spoke_after_typed = False
        self._held: list[Event] = []  # the tutor's final line, waiting for a reserved line
        self._upgraded: set[int] = set()  # learner lines that have their one upgrade
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
        if self._onset:
            self._begin_utterance()
        self.tutor_active, self._late = True, False
        self._tutor_started = self._clock()
        line = self._line
        if line is not None and line.reserved:
            self._close_line()  # the last reply's line never got words: a new reply now
        elif line is not None and not line.stored and line.fragments:
            self._store(line)
        if self._unanswered is None and self._heard:
            # Spoken words not transcribed yet: this reply's final line will wait for them,
            # so the learner's line is still stored first.
            line = self._line = Line.new(reserved=True)
            self._unanswered = line.id
            self._emit(SpeechEnded(at=self._heard_at))  # from the audio: no words to time
        if self._unanswered is not None:
            self._reply_line = self._unanswered
        self._unanswered, self._heard = None, False

    def tool_call(self) -> None:
        """A toolCall arrived. One after turnComplete with no new learner input since is late
        (NON_BLOCKING on 3.8): it opens no tutor turn, its notes are about the last reply's line.
        One after a barge-in, once the learner's newer line is known, is about that line: the
        cut generation makes no more calls, and the new one's may come before the cut reply's
        turnComplete (its tutor turn opens with its first audio or words)."""
        if self.interrupted and self._unanswered is not None:
            self._reply_line, self._unanswered, self._heard = self._unanswered, None, False
        elif not (self.tutor_active or self._late):
            self.tutor_answering()

    def note(self, event: CorrectionNoted | PhraseNoted | UpgradeNoted) -> bool:
        """A note from the current toolCall, about the line the reply answers. False (and
        nothing emitted) for a second upgrade of one line: at most one per learner turn."""
        line = self._reply_line
        if isinstance(event, UpgradeNoted) and line is not None:
            if line in self._upgraded:
                return False
            self._upgraded.add(line)
        self._emit(replace(event, line=line))
        return True

    def barge_in(self) -> None:
        self.interrupted = True
        self._close_line()  # words from now on are the barge-in's
        self._emit(Interrupted())

    def turn_complete(
        self, idle: bool = False, waiting: bool = False, in_progress: bool = False
    ) -> bool:
        """`idle`: `interactionStatus` IDLE, the server is done with the learner's input. Without
        it (`in_progress`: IN_PROGRESS, or no status at all) late pieces and notes may follow.
        `waiting`: the model answered nothing and waits for the learner to go on
        (`turnCompleteReason` NEED_MORE_INPUT): their line stays open for what they say next.
        Returns whether a turn was completed."""
        self._in_progress = in_progress  # the server says it is still busy with this exchange
        if waiting and not (self.tutor_active or self.interrupted):
            return False
        line = self._line
        pending = bool(line and line.fragments and not line.stored)
        done = self.tutor_active or self.interrupted or pending
        if done:
            if not self.interrupted:
                self._finish_learner()
            self._finish_tutor(self.interrupted)
            self._emit(TurnComplete(interrupted=self.interrupted))
            self._new_tutor_turn()
            self._late = True
        if idle:
            self._close_line()  # the server is done with the learner's input
        return done

    def abandon_tutor(self) -> None:
        """Forget the tutor's words in flight: a greeting cut by a drop is spoken again whole."""
        self._new_tutor_turn()

    def cut(self) -> None:
        """The connection is gone: whatever was in flight is final, marked interrupted."""
        self._echoes.drop_unfinished()
        self._onset = self._onset_after_reply = False
        self._lost = True
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
            ended_at=self._clock(),
        )
        line = self._line
        if line is not None and line.reserved and not (line.stored or line.closed):
            self._held.append(final)  # after the learner's line, when its words come
        else:
            self._emit(final)
