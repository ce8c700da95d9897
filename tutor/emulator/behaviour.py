"""How unruly the emulator is: the real service's orderings, limits and strictness, by seed.

The real Gemini Live service promises little about ordering and enforces limits a tidy test
double never would (docs/gemini-live.md §10). By default the emulator behaves within all of
that, randomly but reproducibly: every draw comes from a `random.Random` seeded from `seed` and
the connection's index, so a failing run replays exactly with the same seed. `orderly=True`
gives the old tidy behaviour (whole input transcription first, tool calls before the audio, no
lifetime) for the few tests that pin a sequence on purpose.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Behaviour:
    seed: int = 0
    orderly: bool = False
    # The real service ends a connection after about ten minutes and warns with goAway about
    # a minute ahead (docs/gemini-live.md §5.1).
    connection_seconds: float = 600.0
    goaway_notice: float = 60.0

    def rng(self, connection: int) -> random.Random:
        """The draws of one connection: the same seed and index give the same choices."""
        return random.Random(f"{self.seed}:{connection}")  # noqa: S311 (not for security)

    def tidy(self) -> Behaviour:
        return replace(self, orderly=True)
