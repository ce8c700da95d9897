"""The real service's connection limits (docs/gemini-live.md §5.1, §4.4), off when orderly.

- A connection lives `connection_seconds` (about ten minutes on the real service); `goAway`
  with `timeLeft` goes out `goaway_notice` seconds ahead, then the server closes with 1011
  "Deadline expired before operation could complete." whatever is in flight.
- An audio-only session without `contextWindowCompression` ends after `session_seconds` (15
  minutes), counted from its first connection across resumptions, with the same goAway/close.
- A handle resumes only once its session is let go: while the connection that issued it is
  still held, the resume is refused with 1011; `handle_ttl` after that it has expired (1008,
  the code is an assumption, §2.2).
- Pongs come late: 8-30 s (times `pong_scale`).
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any, Protocol

from tutor.emulator.behaviour import Behaviour
from tutor.emulator.records import SessionRecord
from tutor.emulator.setup import BAD_HANDLE, ProtocolError

DEADLINE = "Deadline expired before operation could complete."
# ASSUMPTION: the reason of the 1011 refusal is not public (aicc2025/sip-to-ai#14 gives the
# code only); the emulator uses the generic internal-error wording.
REFUSED = "Internal error encountered."


class Closable(Protocol):
    record: SessionRecord

    async def send(self, message: dict[str, Any]) -> None: ...
    async def close(self, code: int, reason: str) -> None: ...


def admit_resume(handle: str, sessions: list[SessionRecord], behaviour: Behaviour) -> float:
    """Check a resume against the handle's issuing connection; return the session's start.
    Raise ProtocolError (1011 while that connection is held, 1008 once expired)."""
    issuer = next((r for r in reversed(sessions) if handle in r.handles_issued), None)
    if issuer is None:
        raise ProtocolError(1008, BAD_HANDLE)
    started = issuer.session_started or issuer.opened_at or time.monotonic()
    if behaviour.orderly:
        return started
    if issuer.released_at is None:
        raise ProtocolError(1011, REFUSED)
    if time.monotonic() - issuer.released_at > behaviour.handle_ttl:
        raise ProtocolError(1008, BAD_HANDLE)
    return started


def seconds_left(record: SessionRecord, behaviour: Behaviour, compressed: bool) -> float | None:
    """How long this connection may live, or None when orderly."""
    if behaviour.orderly:
        return None
    left = behaviour.connection_seconds
    if not compressed:
        started = record.session_started or time.monotonic()
        left = min(left, behaviour.session_seconds - (time.monotonic() - started))
    return max(left, 0.0)


async def expire(link: Closable, left: float, notice: float) -> None:
    """goAway `notice` seconds before the end (or at once if less is left), then 1011."""
    warn = min(notice, left)
    await asyncio.sleep(left - warn)
    link.record.goaway_at = time.monotonic()
    await link.send({"goAway": {"timeLeft": f"{warn:g}s"}})
    await asyncio.sleep(warn)
    await link.close(1011, DEADLINE)


def pong_delay(rng: random.Random, behaviour: Behaviour) -> float:
    low, high = behaviour.pong_delay
    return rng.uniform(low, high) * behaviour.pong_scale


def setup_handle(rng: random.Random, behaviour: Behaviour) -> bool:
    """Whether a handle follows setupComplete (undocumented; drawn unless orderly)."""
    return behaviour.orderly or rng.random() < behaviour.setup_handle_chance
