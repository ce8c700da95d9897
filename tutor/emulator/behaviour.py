"""How unruly the emulator is: the real service's orderings, limits and strictness, by seed.

The real Gemini Live service promises little about ordering and enforces limits a tidy test
double never would (docs/gemini-live.md §10). By default the emulator behaves within all of
that, randomly but reproducibly: every draw comes from a `random.Random` seeded from `seed` and
the connection's index, so a failing run replays exactly with the same seed. `orderly=True`
gives the old tidy behaviour (whole input transcription first, tool calls before the audio, no
lifetime, a handle at setup, handles that never expire, concurrent resumes, prompt pongs) for
the few tests that pin a sequence on purpose.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field, replace


def env_seed() -> int | None:
    """EMULATOR_SEED, to run a whole test suite (or `make run`) under one chosen seed."""
    raw = os.environ.get("EMULATOR_SEED", "").strip()
    try:
        return int(raw) if raw else None
    except ValueError:
        raise SystemExit(f"EMULATOR_SEED must be a whole number, not {raw!r}") from None


@dataclass(frozen=True)
class Behaviour:
    # Emulators made without a seed use EMULATOR_SEED, else 0: a test run is reproducible.
    seed: int = field(default_factory=lambda: env_seed() or 0)
    orderly: bool = False
    # The real service ends a connection after about ten minutes and warns with goAway about
    # a minute ahead (docs/gemini-live.md §5.1).
    connection_seconds: float = 600.0
    goaway_notice: float = 60.0
    # Audio-only sessions without contextWindowCompression end after 15 minutes, counted
    # across resumed connections (§5.1).
    session_seconds: float = 900.0
    # Handles are valid for 2 hours after the session last ended (live-session docs, §5.1).
    handle_ttl: float = 7200.0
    # Google's pongs were measured at 8-30 s (§5.1); tests scale the draw down with pong_scale.
    pong_delay: tuple[float, float] = (8.0, 30.0)
    pong_scale: float = 1.0
    # Whether a handle comes right after setupComplete, before any turn, is not documented:
    # drawn per connection, so the bridge must cope with both.
    setup_handle_chance: float = 0.5
    # On models without interactionStatus (2.5, 3.1), how often the pieces drawn for after
    # turnComplete wait for the learner's next input, and for at most how long (`late.py`).
    deferred_chance: float = 0.5
    late_seconds: float = 2.0

    def rng(self, connection: int) -> random.Random:
        """The draws of one connection: the same seed and index give the same choices."""
        return random.Random(f"{self.seed}:{connection}")  # noqa: S311 (not for security)

    def tidy(self) -> Behaviour:
        return replace(self, orderly=True)
