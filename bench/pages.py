"""Render time of each learner page for a learner with 1,000 conversations of 40 turns, against
the same page for a learner with 10, as a ratio measured in one run (with query counts).

It creates its own scratch database (bench_tertulia_pages, on the server of DATABASE_URL or the
embedded one), seeds it, measures, and drops it:

    .venv/bin/python bench/pages.py [--conversations 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutor.settings")
os.environ.setdefault("TERTULIA_TESTING", "1")  # plain static storage: no manifest needed

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from lessons.models import (  # noqa: E402
    Comment,
    Conversation,
    Correction,
    Phrase,
    Review,
    Topic,
    Turn,
)
from lessons.services.totals import conversations_recount  # noqa: E402

SCRATCH_DB = "bench_tertulia_pages"
TURNS = 40
WORDS = re.findall(
    r"\w+",
    "yo quiero comer una tortilla con café leche mañana ayer fui al mercado mi hermana "
    "tenemos que comprar pan fruta queso porque la casa está lejos del centro me gusta "
    "mucho viajar en tren cuando hace buen tiempo pero hoy llueve bastante y hace frío",
)
KINDS = [kind.value for kind in Correction.Kind]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _seed_learner(email: str, conversations: int, topics: list[Topic], teacher: User) -> User:
    """A learner with `conversations` ended conversations of TURNS turns, a correction on
    every tenth turn, a phrase card (half of them reviewed) per correction, and a teacher's
    comment on every tenth conversation."""
    rng = random.Random(email)
    learner = User.objects.create_user(email=email, password=None, onboarded=True)
    now = timezone.now()
    made = _conversations(learner, conversations, topics, rng, now)
    corrections = _corrections(_turns(made, rng))
    # Bulk-created rows skip the services: total them as the services would have.
    conversations_recount([c.pk for c in made])
    _reviews(_phrases(learner, corrections, now), now)
    Comment.objects.bulk_create(
        Comment(conversation=c, author=teacher, text="¡Buen trabajo!") for c in made[::10]
    )
    return learner


def _conversations(
    learner: User, count: int, topics: list[Topic], rng: random.Random, now: datetime
) -> list[Conversation]:
    return Conversation.objects.bulk_create(
        Conversation(
            learner=learner,
            topic=topics[i % len(topics)],
            language="es",
            level=["A2", "B1"][i % 2],
            status=Conversation.Status.ENDED,
            started_at=now - timedelta(hours=9 * i + 1),
            ended_at=now - timedelta(hours=9 * i + 1) + timedelta(minutes=12),
            learner_seconds=rng.uniform(120, 360),
            tutor_seconds=rng.uniform(180, 420),
        )
        for i in range(count)
    )


def _turns(made: list[Conversation], rng: random.Random) -> list[Turn]:
    turns = Turn.objects.bulk_create(
        (
            Turn(
                conversation=c,
                ordinal=t,
                speaker="tutor" if t % 2 == 0 else "learner",
                text=_sentence(rng, 14 if t % 2 == 0 else 9),
                started_ms=t * 15_000,
                ended_ms=t * 15_000 + 6_000,
            )
            for c in made
            for t in range(TURNS)
        ),
        batch_size=5000,
    )
    return turns


def _corrections(turns: list[Turn]) -> list[Correction]:
    return Correction.objects.bulk_create(
        (
            Correction(
                turn=turn,
                original=turn.text,
                corrected=f"{turn.text} ({turn.conversation_id.hex[:6]}-{turn.ordinal})",
                explanation="Mejor así.",
                kind=KINDS[turn.ordinal % len(KINDS)],
            )
            for turn in turns
            if turn.speaker == "learner" and turn.ordinal % 10 == 1
        ),
        batch_size=5000,
    )


def _phrases(learner: User, corrections: list[Correction], now: datetime) -> list[Phrase]:
    return Phrase.objects.bulk_create(
        (
            Phrase(
                learner=learner,
                language="es",
                text=c.corrected[:300],
                note=c.explanation,
                conversation_id=c.turn.conversation_id,
                source_correction=c,
                source_turn=c.turn,
                reps=1 if i % 2 else 0,
                due=now + timedelta(days=i % 5 - 2),
                last_review=now - timedelta(days=1) if i % 2 else None,
            )
            for i, c in enumerate(corrections)
        ),
        batch_size=5000,
    )


def _reviews(phrases: list[Phrase], now: datetime) -> None:
    Review.objects.bulk_create(
        (
            Review(phrase=p, rating=3, reviewed_at=now - timedelta(days=1))
            for p in phrases
            if p.reps
        ),
        batch_size=5000,
    )


def _pages(learner: User) -> dict[str, str]:
    newest = Conversation.objects.filter(learner=learner).order_by("-started_at").first()
    count = Conversation.objects.filter(learner=learner).count()
    assert newest is not None
    history = reverse("learn:history")
    return {
        "history": history,
        "history, last page": f"{history}?page={math.ceil(count / 20)}",
        "history, search": f"{history}?q=mercado",
        "conversation review": reverse("learn:conversation_review", args=[newest.pk]),
        "deck": reverse("learn:deck"),
        "progress": reverse("learn:progress"),
        "export JSON*": reverse("learn:export_json"),
        "export CSV*": reverse("learn:export_csv"),
    }


def _queries(client: Client, url: str) -> int:
    """Queries of rendering `url`, after one warm-up request."""
    assert client.get(url).status_code == 200
    executed: list[str] = []

    def count(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        executed.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(executed)


def _measure(pair: list[tuple[Client, str]], repeat: int) -> list[float]:
    """Median seconds of rendering each (client, url), the two requested in turn, so a machine
    busy with other work slows both alike and the ratio holds."""
    times: list[list[float]] = [[] for _ in pair]
    for _ in range(repeat):
        for mine, (client, url) in zip(times, pair, strict=True):
            start = time.perf_counter()
            client.get(url)
            mine.append(time.perf_counter() - start)
    return [statistics.median(mine) for mine in times]


def _run(conversations: int, repeat: int) -> None:
    started = time.perf_counter()
    topics = Topic.objects.bulk_create(
        Topic(slug=f"t{i}", language="es", title=f"Tema {i}", scenario="-", tutor_role="-")
        for i in range(8)
    )
    teacher = User.objects.create_user(email="teacher@bench.invalid", role="teacher")
    small = _seed_learner("small@bench.invalid", 10, topics, teacher)
    large = _seed_learner("large@bench.invalid", conversations, topics, teacher)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum would do after such a bulk load
    print(
        f"seeded {conversations} + 10 conversations of {TURNS} turns in "
        f"{time.perf_counter() - started:.1f} s"
    )
    clients: dict[str, Client] = {}
    for name, learner in (("small", small), ("large", large)):
        clients[name] = Client()
        clients[name].force_login(learner)
    small_pages, large_pages = _pages(small), _pages(large)
    print(f"\n{'page':<22}{'10 conv.':>11}{f'{conversations} conv.':>13}{'ratio':>8}  queries")
    for page in small_pages:
        q_small = _queries(clients["small"], small_pages[page])
        q_large = _queries(clients["large"], large_pages[page])
        pair = [(clients["small"], small_pages[page]), (clients["large"], large_pages[page])]
        t_small, t_large = _measure(pair, repeat)
        print(
            f"{page:<22}{t_small * 1000:>9.1f}ms{t_large * 1000:>11.1f}ms"
            f"{t_large / t_small:>8.2f}  {q_small} → {q_large}"
        )
    print("\n* exports hold every row, so they grow with the data by design.")


def _with_scratch_database(work: Callable[[], None]) -> None:
    setup_test_environment()
    original = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = SCRATCH_DB
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        work()
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    _with_scratch_database(lambda: _run(args.conversations, args.repeat))


if __name__ == "__main__":
    main()
