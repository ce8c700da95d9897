"""Typed events that `tutor.live.session.LiveTutor` emits to the consumer.

Plain dataclasses, no Django and no google-genai: the consumer translates them into
browser frames and `lessons.services` calls. Times are `time.monotonic()` seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Speaker = Literal["learner", "tutor"]


@dataclass(frozen=True, slots=True)
class TutorAudio:
    """A chunk of tutor speech: 24 kHz, mono, little-endian PCM16 bytes."""

    pcm: bytes


@dataclass(frozen=True, slots=True)
class Transcript:
    """Caption text. Partial events carry the new fragment only; a final event carries the
    whole turn, when the turn is over (for the learner: when the tutor starts to answer).

    Learner lines carry `line`, the assembler's id for one utterance. A final learner event
    with `amends=True` repeats the whole line after late transcription pieces completed it
    (the same line, not a new one; `tutor.live.turns`)."""

    speaker: Speaker
    text: str
    final: bool
    interrupted: bool = False
    started_at: float | None = None
    ended_at: float | None = None
    line: int | None = field(default=None, compare=False)  # an id, not content
    amends: bool = False


@dataclass(frozen=True, slots=True)
class Interrupted:
    """The learner barged in: the browser must flush tutor playback now."""


@dataclass(frozen=True, slots=True)
class TurnComplete:
    """The tutor's turn is over (normally or after an interruption)."""

    interrupted: bool = False


@dataclass(frozen=True, slots=True)
class CorrectionNoted:
    """The tutor called `note_correction` about learner line `line` (None: the latest)."""

    original: str
    corrected: str
    explanation: str
    kind: str
    line: int | None = field(default=None, compare=False)  # an id, not content


@dataclass(frozen=True, slots=True)
class PhraseNoted:
    """The tutor called `note_phrase` with a useful phrase for the learner's deck."""

    text: str
    translation: str
    line: int | None = field(default=None, compare=False)  # an id, not content


@dataclass(frozen=True, slots=True)
class UpgradeNoted:
    """The tutor called `note_upgrade`: learner line `line` (None: the latest) was correct but
    plain, and `upgraded` says it better. At most one per line (`TurnAssembler.note`)."""

    original: str
    upgraded: str
    explanation: str
    line: int | None = field(default=None, compare=False)  # an id, not content


@dataclass(frozen=True, slots=True)
class Reconnecting:
    """The upstream connection dropped or is about to; the bridge is reconnecting."""

    attempt: int
    reason: str


@dataclass(frozen=True, slots=True)
class Resumed:
    """The upstream session is back (resumed with a handle: no re-greeting)."""

    reconnects: int


@dataclass(frozen=True, slots=True)
class Error:
    """Something the learner must be told. `fatal` errors end the conversation."""

    code: str
    message: str
    fatal: bool = True


@dataclass(frozen=True, slots=True)
class Usage:
    """Token usage Gemini reported with a turn (`usageMetadata`)."""

    prompt_tokens: int = 0
    response_tokens: int = 0
    total_tokens: int = 0


@dataclass(frozen=True, slots=True)
class SpeechEnded:
    """The learner stopped speaking (first sign of the tutor answering), for latency stats."""

    at: float = field(default=0.0)


Event = (
    TutorAudio
    | Transcript
    | Interrupted
    | TurnComplete
    | CorrectionNoted
    | PhraseNoted
    | UpgradeNoted
    | Reconnecting
    | Resumed
    | Error
    | Usage
    | SpeechEnded
)
