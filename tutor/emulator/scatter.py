"""Where the extras of one turn fall around its audio: the real service's orderings, by seed.

The real service gives no ordering between the learner's input transcription and the reply
(SDK `types.Transcription` docs; https://github.com/pipecat-ai/pipecat/issues/1788), and on
3.8 NON_BLOCKING function calls may come before, during or after the audio, even after
`turnComplete` (docs/gemini-live.md §4.4, §10). A turn with `chunks` audio chunks has slots:

- 0: before the first chunk; 1..chunks-1: between chunks; `chunks`: after the last chunk, before
  generationComplete; LATE (`chunks` + 1): after turnComplete, before the next turn begins.

Realistic (the default): the input transcription is cut into 1-4 pieces over random,
non-decreasing slots, the last piece sometimes marked `finished`; each NON_BLOCKING call gets a
random slot of its own. Orderly: everything in slot 0, the input first (the old tidy order).
BLOCKING calls are always in slot 0: the model waits for their answer before it speaks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from tutor.emulator import wire


@dataclass(frozen=True)
class Piece:
    """One inputTranscription message."""

    text: str
    finished: bool = False

    def message(self) -> dict[str, Any]:
        heard: dict[str, Any] = wire.transcription(self.text)
        if self.finished:
            heard["finished"] = True
        return wire.server_content(inputTranscription=heard)


@dataclass(frozen=True)
class Call:
    name: str
    args: dict[str, str]
    blocking: bool


Item = Piece | Call


@dataclass
class Schedule:
    chunks: int
    slots: dict[int, list[Item]] = field(default_factory=dict)

    @property
    def late(self) -> int:
        return self.chunks + 1

    def add(self, slot: int, item: Item) -> None:
        self.slots.setdefault(slot, []).append(item)

    def take(self, slot: int) -> list[Item]:
        return self.slots.pop(slot, [])

    def take_pieces(self) -> list[Piece]:
        """The input pieces not sent yet (a barge-in: they go before `interrupted`, since
        after it the learner's words are the barge-in's own), dropping the calls not made."""
        pieces = [i for s in sorted(self.slots) for i in self.slots[s] if isinstance(i, Piece)]
        self.slots.clear()
        return pieces

    def where(self, slot: int) -> str:
        if slot == 0:
            return "before"
        return "during" if slot < self.chunks else "after" if slot == self.chunks else "late"


def schedule(
    rng: random.Random, orderly: bool, heard: str | None, calls: list[Call], chunks: int
) -> Schedule:
    plan = Schedule(chunks)
    pieces = _pieces(rng, orderly, heard)
    if orderly:
        items: list[Item] = [*pieces, *calls]
        for item in items:
            plan.add(0, item)
        return plan
    for slot, piece in zip(sorted(rng.randint(0, plan.late) for _ in pieces), pieces, strict=True):
        plan.add(slot, piece)
    for call in calls:
        plan.add(0 if call.blocking else rng.randint(0, plan.late), call)
    return plan


def _pieces(rng: random.Random, orderly: bool, heard: str | None) -> list[Piece]:
    if not heard:
        return []
    if orderly:
        return [Piece(p) for p in wire.fragments(heard, max(1, len(heard.split()) // 4))]
    texts = wire.fragments(heard, rng.randint(1, 4))
    finished = rng.random() < 0.5  # sometimes the last piece says so, sometimes not
    return [Piece(t, finished and i == len(texts) - 1) for i, t in enumerate(texts)]
