"""Learner input on its way to Gemini, kept until the server has taken it.

A connection can end at any moment (goAway, a drop, a refused resume), so nothing the learner
says may live only on one socket:

- `pending`: audio, `audioStreamEnd` and typed text waiting for the next connection, in the
  order they were given. An item leaves the queue only after its send succeeded, so a send
  that fails mid-flush loses nothing. Audio is capped at `limit` bytes (the oldest audio goes
  first, sample-aligned); text and stream ends are never dropped.
- `sent`: audio already sent on the current connection that the server has not yet turned
  into a turn (no transcription, no reply). When the connection ends it goes back in front of
  `pending`, so an utterance cut by a reconnect is heard whole by the next connection. Capped
  at `replay` bytes, oldest first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Literal

from google.genai.live import AsyncSession

from tutor import metrics
from tutor.live.realtime_input import send_audio_frame

Kind = Literal["audio", "end", "text"]


class Uplink:
    def __init__(self, limit: int, replay: int) -> None:
        self.limit, self.replay = limit, replay
        self.pending: deque[tuple[Kind, bytes | str]] = deque()
        self.sent: deque[bytes] = deque()
        self._pending_audio = 0
        self._sent_audio = 0
        self.dropped_audio_bytes = 0

    def __bool__(self) -> bool:
        return bool(self.pending)

    @property
    def texts(self) -> int:
        """How many typed lines wait for the next connection."""
        return sum(kind == "text" for kind, _ in self.pending)

    def hold(self, kind: Kind, payload: bytes | str = b"") -> None:
        self.pending.append((kind, payload))
        if kind == "audio":
            self._pending_audio += len(payload)
            self._trim()

    def sent_audio(self, pcm: bytes) -> None:
        self.sent.append(pcm)
        self._sent_audio += len(pcm)
        while self._sent_audio > self.replay and self.sent:
            self._sent_audio -= len(self.sent.popleft())

    def taken(self) -> None:
        """The server has the utterance (it transcribed or answered it): no replay."""
        self.sent.clear()
        self._sent_audio = 0

    def requeue(self) -> None:
        """The connection is gone: audio it never turned into a turn is sent again first."""
        for pcm in reversed(self.sent):
            self.pending.appendleft(("audio", pcm))
            self._pending_audio += len(pcm)
        self.taken()
        self._trim()

    async def flush(
        self, session: AsyncSession, sent_text: Callable[[str], None] = lambda _: None
    ) -> None:
        """Send everything pending, in order; an item is removed only once it is sent
        (`sent_text` is told of each typed line then)."""
        while self.pending:
            kind, payload = self.pending[0]
            if isinstance(payload, bytes) and kind == "audio":
                await send_audio_frame(session, payload)
                self._pending_audio -= len(payload)
                self.sent_audio(payload)
            elif kind == "end":
                await session.send_realtime_input(audio_stream_end=True)
            else:
                await session.send_realtime_input(text=str(payload))
                sent_text(str(payload))
            self.pending.popleft()

    def _trim(self) -> None:
        excess = self._pending_audio - self.limit
        while excess > 0:
            index = next(i for i, (kind, _) in enumerate(self.pending) if kind == "audio")
            oldest = self.pending[index][1]
            if not isinstance(oldest, bytes):  # only audio items are kind "audio"
                break
            cut = min(len(oldest), excess + excess % 2)  # keep the newest part, sample-aligned
            if cut < len(oldest):
                self.pending[index] = ("audio", oldest[cut:])
            else:
                del self.pending[index]
            self._pending_audio -= cut
            self.dropped_audio_bytes += cut
            metrics.FRAMES_DROPPED.labels("reconnect_buffer").inc(cut / metrics.LEARNER_FRAME_BYTES)
            excess = self._pending_audio - self.limit
