"""Turn assembly for `tutor.live.session`: transcription fragments and tool calls -> typed events.

Pure Python (no google-genai, no I/O), so the ordering rules are easy to read and test:

- learner fragments become partial Transcripts at once and ONE final learner Transcript (plus
  SpeechEnded) at the first sign of the tutor answering (audio, output transcription, tool
  call), or at turnComplete if the tutor never answered;
- so the final learner line always precedes the CorrectionNoted events of the same exchange;
- tutor fragments become one final tutor Transcript at turnComplete (interrupted if a barge-in
  happened), then TurnComplete;
- after a barge-in, learner words belong to the NEW utterance: they wait for the next answer;
- typed text is the consumer's to record: an input transcription that merely repeats it (the
  emulator sends one) is swallowed rather than becoming a second learner line.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

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

CORRECTION_KINDS = frozenset({"grammar", "vocabulary", "pronunciation", "register"})
_NO_SPACE_BEFORE = frozenset(".,;:!?)]}»”’…、。！？")


class TurnAssembler:
    """Keeps the text of the exchange in flight. Times are `time.monotonic()` seconds."""

    def __init__(self, emit: Callable[[Event], None]) -> None:
        self._emit = emit
        self._learner: list[str] = []
        self._learner_started: float | None = None
        self._learner_ended: float | None = None
        # Normalised typed lines whose transcriptions are not new lines, oldest first: two
        # lines typed before the first echo arrives must both be recognised.
        self._echoes: deque[str] = deque(maxlen=8)
        self._echoed: list[str] = []
        self._new_tutor_turn()

    def _new_tutor_turn(self) -> None:
        self._tutor: list[str] = []
        self._tutor_started: float | None = None
        self.tutor_active = False
        self.interrupted = False

    @property
    def in_turn(self) -> bool:
        """True while the learner has words pending or the tutor is answering."""
        return self.tutor_active or bool(self._learner)

    def typed(self, text: str) -> None:
        self._echoes.append(_normal(text))

    def learner_fragment(self, text: str) -> None:
        if self._echoes:
            heard = _normal(join_fragments([*self._echoed, text]))
            if self._echoes[0].startswith(heard):
                self._echoed.append(text)
                if heard == self._echoes[0]:
                    self._echoes.popleft()
                    self._echoed = []
                return
            held, self._echoed = self._echoed, []
            self._echoes.clear()  # real speech: the echoes are not coming
            for fragment in held:  # not an echo after all: nothing is lost
                self.learner_fragment(fragment)
        now = time.monotonic()
        if self._learner_started is None:
            self._learner_started = now
        self._learner_ended = now
        self._learner.append(text)
        self._emit(Transcript(speaker="learner", text=text, final=False))

    def tutor_audio(self, pcm: bytes) -> None:
        self.tutor_answering()
        if not self.interrupted:  # stragglers after a barge-in must not play
            self._emit(TutorAudio(pcm=pcm))

    def tutor_fragment(self, text: str) -> None:
        self.tutor_answering()
        self._tutor.append(text)
        self._emit(Transcript(speaker="tutor", text=text, final=False))

    def tutor_answering(self) -> None:
        if not self.tutor_active:
            self.tutor_active = True
            self._tutor_started = time.monotonic()
            self._finish_learner(interrupted=False)

    def barge_in(self) -> None:
        self.interrupted = True
        self._emit(Interrupted())

    def turn_complete(self) -> None:
        if not self.interrupted:
            self._finish_learner(interrupted=False)
        self._finish_tutor(self.interrupted)
        self._emit(TurnComplete(interrupted=self.interrupted))
        self._new_tutor_turn()

    def abandon_tutor(self) -> None:
        """Forget the tutor's words in flight: a greeting cut by a drop is spoken again whole."""
        self._new_tutor_turn()

    def cut(self) -> None:
        """The connection is gone: whatever was in flight is final, marked interrupted."""
        self._finish_learner(interrupted=True)
        if self.tutor_active:
            self._finish_tutor(True)
            self._emit(TurnComplete(interrupted=True))
        self._new_tutor_turn()

    def _finish_learner(self, *, interrupted: bool) -> None:
        text = join_fragments(self._learner)
        if text:
            ended = self._learner_ended
            self._emit(
                Transcript(
                    speaker="learner",
                    text=text,
                    final=True,
                    interrupted=interrupted,
                    started_at=self._learner_started,
                    ended_at=ended,
                )
            )
            if not interrupted:
                # `at` is when the last learner words arrived: with the first TutorAudio it
                # gives the response latency.
                self._emit(SpeechEnded(at=ended if ended is not None else time.monotonic()))
        self._learner, self._learner_started, self._learner_ended = [], None, None

    def _finish_tutor(self, interrupted: bool) -> None:
        text = join_fragments(self._tutor)
        if text:
            self._emit(
                Transcript(
                    speaker="tutor",
                    text=text,
                    final=True,
                    interrupted=interrupted,
                    started_at=self._tutor_started,
                    ended_at=time.monotonic(),
                )
            )


def join_fragments(fragments: list[str]) -> str:
    """Join transcription fragments that may or may not carry their own spaces.

    A space is added between two fragments only when neither side has one, the next one does
    not open with closing punctuation, and neither side is CJK (written without spaces).
    """
    out = ""
    for fragment in fragments:
        if out and fragment and _needs_space(out[-1], fragment[0]):
            out += " "
        out += fragment
    return " ".join(out.split())


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _needs_space(before: str, after: str) -> bool:
    if before.isspace() or after.isspace() or after in _NO_SPACE_BEFORE:
        return False
    return not (_is_cjk(before) or _is_cjk(after))


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af" or char >= "\uff00"


def note_event(name: str, args: dict[str, Any]) -> tuple[Event | None, dict[str, Any]]:
    """Validate a tool call: its event (None if unusable) and the answer for the model.

    An unknown `kind` becomes "grammar": the model sometimes invents labels ("spelling",
    "word order") and a correction is worth keeping under the broadest bucket.
    """
    if name == "note_correction":
        original, corrected = _arg(args, "original"), _arg(args, "corrected")
        if not original or not corrected:
            return None, {"error": "original and corrected are required"}
        kind = _arg(args, "kind").lower()
        kind = kind if kind in CORRECTION_KINDS else "grammar"
        explanation = _arg(args, "explanation")
        return CorrectionNoted(original, corrected, explanation, kind), {"result": "ok"}
    if name == "note_phrase":
        text = _arg(args, "text")
        if not text:
            return None, {"error": "text is required"}
        return PhraseNoted(text=text, translation=_arg(args, "translation")), {"result": "ok"}
    return None, {"error": f"unknown function {name!r}"}


def _arg(args: dict[str, Any], key: str) -> str:
    value = args.get(key)
    return value.strip() if isinstance(value, str) else ""
