"""The progress page: charts fed through json_script, the same numbers as tables."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.lessons.learner_data import make_conversation, make_phrase, make_topic

pytestmark = pytest.mark.django_db
PROGRESS = reverse("learn:progress")


def _chart_data(body: str) -> dict[str, object]:
    found = re.search(r'<script id="progress-data" type="application/json">(.*?)</script>', body)
    assert found, "the chart data is embedded with json_script"
    return json.loads(found.group(1))


def test_the_page_embeds_the_chart_data_and_draws_it_from_a_file(
    client: Client, alice: User
) -> None:
    make_conversation(
        alice,
        started_at=timezone.now(),
        learner_seconds=120,
        corrections=[(1, "Yo quiero", "Quiero", "grammar")],
    )
    client.force_login(alice)
    body = client.get(PROGRESS).content.decode()
    data = _chart_data(body)
    assert data["days"]["minutes"][-1] == 2.0  # type: ignore[index]
    assert len(data["weeks"]["dates"]) == 12  # type: ignore[index]
    assert set(data["weeks"]["per100"]) == {  # type: ignore[index]
        "Grammar",
        "Vocabulary",
        "Pronunciation",
        "Register",
    }
    assert "vendor/chartjs/chart.umd.min.js" in body
    assert "js/progress.js" in body


def test_the_page_has_no_inline_script(client: Client, alice: User) -> None:
    client.force_login(alice)
    body = client.get(PROGRESS).content.decode()
    for tag in re.findall(r"<script[^>]*>", body):
        assert "src=" in tag or 'type="application/json"' in tag


def test_every_chart_has_a_text_alternative_and_a_table(client: Client, alice: User) -> None:
    client.force_login(alice)
    body = client.get(PROGRESS).content.decode()
    canvases = re.findall(r"<canvas [^>]*>", body)
    assert len(canvases) == 5
    assert all('role="img"' in c and "aria-label=" in c for c in canvases)
    assert body.count("<caption>") == 3
    assert "Week by week" in body


def test_the_tables_give_the_numbers(client: Client, alice: User) -> None:
    make_conversation(alice, topic=make_topic("Café"), level="A2", learner_seconds=90)
    make_phrase(alice)
    client.force_login(alice)
    response = client.get(PROGRESS)
    body = response.content.decode()
    assert "<td>1.5</td>" in body  # minutes today
    assert response.context["progress"].phrases["total"] == 1
    levels = {level: topics for level, topics, _ in response.context["progress"].levels}
    assert levels["A2"] == 1


def test_charlies_progress_has_nothing_of_alices(
    client: Client, alice: User, charlie: User
) -> None:
    make_conversation(alice, learner_seconds=600)
    client.force_login(charlie)
    data = _chart_data(client.get(PROGRESS).content.decode())
    assert sum(data["days"]["minutes"]) == 0  # type: ignore[index]


def test_the_query_count_does_not_grow_with_the_history(
    client: Client, alice: User, django_assert_max_num_queries: Callable[..., object]
) -> None:
    topic = make_topic("Café")
    for _ in range(2):
        make_conversation(alice, topic=topic, corrections=[(1, "Yo quiero", "Quiero", "grammar")])
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        client.get(PROGRESS)
    for i in range(28):
        make_conversation(
            alice,
            topic=make_topic(f"Tema {i}"),
            corrections=[(1, "Yo quiero", f"Quiero {i}", "vocabulary")],
        )
    with django_assert_max_num_queries(len(captured)):  # type: ignore[operator]
        client.get(PROGRESS)


def test_the_page_never_reads_the_turns(client: Client, alice: User) -> None:
    """Counting words over every turn made the page 4.76 times slower with 1,000 conversations
    than with 10 (bench/pages.py): it reads each conversation's running totals instead, of
    words, turn time and corrections by kind."""
    for _ in range(3):
        make_conversation(
            alice, started_at=timezone.now(), corrections=[(1, "Yo quiero", "Quiero", "grammar")]
        )
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PROGRESS)
    assert response.status_code == 200
    assert response.context["progress"].totals.learner_words == 3 * 18
    assert response.context["progress"].totals.kinds == {"grammar": 3}
    read = " ".join(q["sql"] for q in captured.captured_queries)
    assert '"lessons_turn"' not in read and '"lessons_correction"' not in read
