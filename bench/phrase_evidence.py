"""How long the evidence table's phrase matching takes for a big class, against the plainest
possible matcher (normalised substring search) measured in the same run. Run:

    .venv/bin/python bench/phrase_evidence.py [--learners 20 --attempts 5 --turns 30]

The turns are drawn from the target phrases' own words (the worst case: nearly every window
looks promising) and, separately, from a mix with everyday words (closer to real transcripts).
No Django, no database: lessons.text.phrase_match is pure.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lessons.text.phrase_match import PhraseMatcher, normalise

PHRASES = [
    "me duele la cabeza",
    "¿tiene algo para el dolor?",
    "¿cada cuántas horas?",
    "¿cuánto cuesta?",
    "quisiera reservar una mesa",
    "la cuenta, por favor",
    "un café con leche",
    "buenos días",
]
EVERYDAY_TEXT = (
    "entonces bueno pues mira creo que sería mejor ir mañana a la playa porque hace calor "
    "y mi hermano trabaja en una tienda cerca de casa"
)


def turns(vocabulary: list[str], count: int, rng: random.Random) -> list[str]:
    return [" ".join(rng.choices(vocabulary, k=rng.randint(4, 18))) for _ in range(count)]


def timed(match: Callable[[str, int], bool], texts: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    hits = 0
    for text in texts:
        normalised = normalise(text)
        hits += sum(match(normalised, n) for n in range(len(PHRASES)))
    return time.perf_counter() - start, hits


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--attempts", type=int, default=5)
    parser.add_argument("--turns", type=int, default=30)
    args = parser.parse_args()
    count = args.learners * args.attempts * args.turns
    rng = random.Random(8)
    matchers = [PhraseMatcher(phrase) for phrase in PHRASES]
    plain = [normalise(phrase) for phrase in PHRASES]
    phrase_words = [word for phrase in PHRASES for word in phrase.split()]
    print(f"{count} learner turns x {len(PHRASES)} phrases")
    mixed = phrase_words + EVERYDAY_TEXT.split()
    for name, vocabulary in (("worst case", phrase_words), ("mixed", mixed)):
        texts = turns(vocabulary, count, rng)
        ours, our_hits = timed(lambda t, n: matchers[n].matches_normalised(t), texts)
        base, base_hits = timed(lambda t, n: plain[n] in t, texts)
        print(
            f"{name:>10}: tolerant {ours:.2f} s ({our_hits} hits), substring {base:.3f} s "
            f"({base_hits} hits), ratio {ours / base:.0f}x"
        )


if __name__ == "__main__":
    main()
