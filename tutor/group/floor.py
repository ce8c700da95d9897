"""Who holds the floor in a group room: one speaker's audio goes upstream at a time.

Gemini Live takes one audio stream per session (docs/groups.md), so mixing the learners'
microphones would hand the model one noisy voice it cannot attribute. The floor picks one
speaker, forwards only their frames, and keeps everybody else's sustained speech in a queue
(buffered, bounded) until it is their turn. Pure: no Django, no asyncio, no I/O; the caller
passes the time of each frame, so tests drive it frame by frame and faster than real time.

Input: each member's 16 kHz mono PCM16, normally in 20 ms frames (`frame`), or a voice-activity
decision the caller made itself (`voice`). Output of every call: a `Step`, the chunks to send
upstream (in order, always the holder's) and the events to broadcast to the room.

The numbers (all in milliseconds of audio time, all constructor arguments):

- VOICED_DBFS, -40 dBFS: a frame at least this loud (RMS) is voiced. The emulator's VAD starts
  speech at RMS 500 of int16 (about -36 dBFS, tutor/emulator/vad.py; -41 dBFS at its HIGH
  sensitivity) and tutor/audio/resample.is_silence calls -50 dBFS silence: -40 sits between,
  so whatever the upstream would take for speech counts here, and room hiss after the
  browser's noise suppression does not.
- CLAIM_MS 200 of voiced audio within CLAIM_WINDOW_MS 300: sustained speech claims the floor
  (or a place in the queue). A back-channel ("sí", "mm-hm", "vale") is a syllable or two, about
  100-250 ms with gaps, and mostly stays under it; a real start of a sentence reaches it within
  its first word. A shorter burst is dropped, never queued: playing "sí, sí" to the tutor after
  someone else's turn would be noise.
- HOLD_MS 1200: the holder keeps the floor through pauses shorter than this, so a breath or a
  search for a word does not hand the floor to whoever back-channels. It is longer than the
  upstream's end-of-speech silence (the bridge asks for 500 ms, the emulator uses 300-600) so
  the model has ended and answered the holder's utterance before anyone else's audio goes up.
- MAX_HOLD_MS 30000: after holding this long while someone waits, the holder loses the floor
  at their next pause of MAX_HOLD_PAUSE_MS (200 ms, a phrase boundary, never mid-word) instead
  of a full hold, so one learner cannot keep it for ever.
- BUFFER_MS 3000: a queued speaker's buffered audio is kept up to this much; older frames are
  dropped and counted (`AudioDropped`, `dropped_ms`). Three seconds is a sentence: enough for
  the tutor to hear what they wanted to say, short enough that replaying it stays relevant.
  Pauses longer than QUEUE_GAP_MS (600 ms) in a queued speaker's audio are not buffered beyond
  that, so waiting silence never pushes their words out of the bound.

Attribution (docs/groups.md "Attribution"): `line_open(True)` says the holder's line is still
open upstream (its transcription not final). While it is, the floor does not change at all: no
release for a pause, no grant; claims queue. When it closes, what was due happens. The runtime
opens it when the holder's audio first goes up after a grant (or their next utterance begins)
and closes it when the bridge has stored that learner line as final; so while the tutor answers
the holder, a queued speaker waits, and only the holder can barge in on the tutor.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import numpy as np

FRAME_MS = 20
BYTES_PER_MS = 32  # 16 kHz mono PCM16
VOICED_DBFS = -40.0
CLAIM_MS = 200
CLAIM_WINDOW_MS = 300
HOLD_MS = 1200
MAX_HOLD_MS = 30_000
MAX_HOLD_PAUSE_MS = 200
BUFFER_MS = 3000
QUEUE_GAP_MS = 600

ReleaseReason = Literal["pause", "max_hold", "left"]


class Chunk(NamedTuple):
    """Audio to send upstream: `pcm` (16 kHz PCM16) of `member_id`, the floor holder."""

    member_id: int
    pcm: bytes


@dataclass(frozen=True)
class FloorGranted:
    member_id: int
    at_ms: int
    buffered_ms: int  # audio from the queue sent at once, ahead of the live frames


@dataclass(frozen=True)
class FloorReleased:
    member_id: int
    at_ms: int
    reason: ReleaseReason


@dataclass(frozen=True)
class QueueChanged:
    queue: tuple[int, ...]  # member ids, next speaker first
    at_ms: int


@dataclass(frozen=True)
class AudioDropped:
    member_id: int
    ms: int  # audio of a queued speaker dropped by the bound in this step
    at_ms: int


Event = FloorGranted | FloorReleased | QueueChanged | AudioDropped


@dataclass
class Step:
    """What one call produced. Every chunk in `forward` is the holder's after the call."""

    forward: list[Chunk] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


class _Frame(NamedTuple):
    start_ms: int
    ms: int
    voiced: bool
    pcm: bytes


@dataclass
class _Member:
    # Idle members collect a burst here (frames since their first voiced one) until it claims
    # or fades; queued members keep their whole waiting audio here.
    buffer: deque[_Frame] = field(default_factory=deque)
    window: deque[_Frame] = field(default_factory=deque)  # frames of the last claim window
    last_voiced_ms: int | None = None  # end of the last voiced frame
    queued: bool = False


def is_voiced(pcm16: bytes, threshold_dbfs: float = VOICED_DBFS) -> bool:
    """True when PCM16 bytes have an RMS level at or above `threshold_dbfs`."""
    samples = np.frombuffer(pcm16[: len(pcm16) // 2 * 2], np.int16).astype(np.float64)
    if not len(samples):
        return False
    level = math.sqrt(samples.dot(samples) / len(samples)) / 32768.0
    return level > 0 and 20.0 * math.log10(level) >= threshold_dbfs


class Floor:
    """One room's floor. Members are known from their first frame; `leave` forgets one."""

    def __init__(
        self,
        *,
        voiced_dbfs: float = VOICED_DBFS,
        claim_ms: int = CLAIM_MS,
        claim_window_ms: int = CLAIM_WINDOW_MS,
        hold_ms: int = HOLD_MS,
        max_hold_ms: int = MAX_HOLD_MS,
        max_hold_pause_ms: int = MAX_HOLD_PAUSE_MS,
        buffer_ms: int = BUFFER_MS,
        queue_gap_ms: int = QUEUE_GAP_MS,
    ) -> None:
        if not 0 < claim_ms <= claim_window_ms:
            raise ValueError("claim_ms must be positive and at most claim_window_ms")
        self.voiced_dbfs = voiced_dbfs
        self.claim_ms = claim_ms
        self.claim_window_ms = claim_window_ms
        self.hold_ms = hold_ms
        self.max_hold_ms = max_hold_ms
        self.max_hold_pause_ms = max_hold_pause_ms
        self.buffer_ms = buffer_ms
        self.queue_gap_ms = queue_gap_ms
        self._members: dict[int, _Member] = {}
        self._holder: int | None = None
        self._held_since = 0
        self._holder_voiced_ms = 0  # end of the holder's last voiced audio (or the grant)
        self._queue: list[int] = []
        self._line_open = False
        self._talk: dict[int, int] = {}
        self._dropped: dict[int, int] = {}

    def carry(self, talk_ms: Mapping[int, int]) -> None:
        """Talk time from before this floor (a room another process had, taken over from its
        stored transcript): counted on from there, so the shares the tutor is told go on."""
        for member_id, ms in talk_ms.items():
            self._talk[member_id] = self._talk.get(member_id, 0) + ms

    # -- what the runtime reads ------------------------------------------------------------

    @property
    def holder(self) -> int | None:
        return self._holder

    @property
    def queue(self) -> tuple[int, ...]:
        return tuple(self._queue)

    @property
    def talk_ms(self) -> Mapping[int, int]:
        """Voiced milliseconds each member has had forwarded as holder (for the prompt's
        shares of talk time). Members who left keep their count."""
        return dict(self._talk)

    @property
    def dropped_ms(self) -> Mapping[int, int]:
        """Milliseconds of queued audio the bound dropped, per member."""
        return dict(self._dropped)

    # -- what the runtime feeds ------------------------------------------------------------

    def frame(self, member_id: int, pcm: bytes, now_ms: int) -> Step:
        """One frame of `member_id`'s microphone (16 kHz PCM16, normally 20 ms) starting at
        `now_ms`; voice activity from its energy."""
        return self.voice(member_id, is_voiced(pcm, self.voiced_dbfs), now_ms, pcm)

    def voice(
        self, member_id: int, voiced: bool, now_ms: int, pcm: bytes = b"", ms: int | None = None
    ) -> Step:
        """One frame with a voice-activity decision made by the caller. `ms` defaults to the
        length of `pcm` (16 kHz PCM16), or FRAME_MS when `pcm` is empty."""
        length = ms if ms is not None else (len(pcm) // BYTES_PER_MS or FRAME_MS)
        step = Step()
        self._advance(now_ms, step)
        member = self._members.setdefault(member_id, _Member())
        frame = _Frame(now_ms, length, voiced, pcm)
        if voiced:
            member.last_voiced_ms = now_ms + length
        if member_id == self._holder:
            self._send(member_id, [frame], step)
            if voiced:
                self._holder_voiced_ms = now_ms + length
        elif member.queued:
            self._buffer_queued(member_id, member, frame, step)
        else:
            self._collect_burst(member_id, member, frame, step)
        return step

    def tick(self, now_ms: int) -> Step:
        """Time passed without a frame (a member's socket went quiet): release a holder
        whose hold ran out."""
        step = Step()
        self._advance(now_ms, step)
        return step

    def line_open(self, is_open: bool, now_ms: int) -> Step:
        """The runtime's word on the holder's line upstream: while it is open the floor does
        not change. Closing it lets a due release and grant happen at once."""
        self._line_open = is_open
        step = Step()
        self._advance(now_ms, step)
        return step

    def leave(self, member_id: int, now_ms: int) -> Step:
        """`member_id` left the room: out of the holder's seat and the queue, their buffered
        audio forgotten. A holder leaving frees the floor, but the next speaker waits for an
        open line to close, as always."""
        step = Step()
        self._members.pop(member_id, None)
        if self._holder == member_id:
            self._holder = None
            step.events.append(FloorReleased(member_id, now_ms, "left"))
        if member_id in self._queue:
            self._queue.remove(member_id)
            step.events.append(QueueChanged(self.queue, now_ms))
        self._advance(now_ms, step)
        return step

    # -- the rules -------------------------------------------------------------------------

    def _collect_burst(self, member_id: int, member: _Member, frame: _Frame, step: Step) -> None:
        """An idle member: keep the burst since its first voiced frame; enough voiced audio
        within the claim window claims the floor, a gap of a whole window ends a burst that
        did not (a back-channel: dropped)."""
        window = member.window
        window.append(frame)
        end = frame.start_ms + frame.ms
        while window and window[0].start_ms < end - self.claim_window_ms:
            window.popleft()
        if frame.voiced or member.buffer:
            member.buffer.append(frame)
        if not any(f.voiced for f in window):
            member.buffer.clear()
            return
        # A burst that never claims (sparse voiced frames) must not grow without bound.
        while sum(f.ms for f in member.buffer) > self.buffer_ms:
            member.buffer.popleft()
        if sum(f.ms for f in window if f.voiced) < self.claim_ms:
            return
        member.window.clear()
        if self._holder is None and not self._line_open and not self._queue:
            self._grant(member_id, end, step)
            return
        member.queued = True
        self._queue.append(member_id)
        step.events.append(QueueChanged(self.queue, end))

    def _buffer_queued(self, member_id: int, member: _Member, frame: _Frame, step: Step) -> None:
        if not frame.voiced:
            last = member.last_voiced_ms
            if last is None or frame.start_ms >= last + self.queue_gap_ms:
                return  # a long wait in silence: the gap kept so far is enough
        member.buffer.append(frame)
        dropped = 0
        while sum(f.ms for f in member.buffer) > self.buffer_ms:
            dropped += member.buffer.popleft().ms
        if dropped:
            self._dropped[member_id] = self._dropped.get(member_id, 0) + dropped
            step.events.append(AudioDropped(member_id, dropped, frame.start_ms))

    def _advance(self, now_ms: int, step: Step) -> None:
        """Apply what is due at `now_ms`: release a holder, grant the next in the queue."""
        if self._line_open:
            return
        holder = self._holder
        if holder is not None:
            silent_for = now_ms - self._holder_voiced_ms
            if silent_for >= self.hold_ms:
                self._release(holder, now_ms, "pause", step)
            elif (
                self._queue
                and now_ms - self._held_since >= self.max_hold_ms
                and silent_for >= self.max_hold_pause_ms
            ):
                self._release(holder, now_ms, "max_hold", step)
        if self._holder is None and self._queue:
            member_id = self._queue.pop(0)
            step.events.append(QueueChanged(self.queue, now_ms))
            self._grant(member_id, now_ms, step)

    def _release(self, member_id: int, now_ms: int, reason: ReleaseReason, step: Step) -> None:
        self._holder = None
        member = self._members.get(member_id)
        if member is not None:
            member.buffer.clear()
            member.window.clear()
        step.events.append(FloorReleased(member_id, now_ms, reason))

    def _grant(self, member_id: int, now_ms: int, step: Step) -> None:
        member = self._members[member_id]
        buffered = list(member.buffer)
        member.buffer.clear()
        member.queued = False
        self._holder = member_id
        self._held_since = now_ms
        # The hold counts from now: their buffered words are only now reaching the tutor.
        self._holder_voiced_ms = now_ms
        step.events.append(FloorGranted(member_id, now_ms, sum(f.ms for f in buffered)))
        self._send(member_id, buffered, step)

    def _send(self, member_id: int, frames: list[_Frame], step: Step) -> None:
        for f in frames:
            step.forward.append(Chunk(member_id, f.pcm))
            if f.voiced:
                self._talk[member_id] = self._talk.get(member_id, 0) + f.ms
