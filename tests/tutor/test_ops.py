"""The operator page (tutor/ops.py): staff only, figures per conversation and in aggregate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from lessons.models import Conversation
from tests.base import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db: None) -> User:
    return make_user("ops@example.org", is_staff=True)


def conversation(learner: User | None, **fields: object) -> Conversation:
    defaults: dict[str, object] = {"language": "es", "level": "A2", "status": "ended"}
    if learner is None:
        defaults["trial_session_key"] = "trial-session"
    return Conversation.objects.create(learner=learner, **{**defaults, **fields})


def test_staff_see_each_conversations_figures(client: Client, staff: User, alice: User) -> None:
    conversation(
        alice,
        model="gemini-3.8-live",
        latency_p50_ms=640,
        latency_p95_ms=910,
        reconnect_count=2,
        degraded=True,
        prompt_tokens=1200,
        response_tokens=340,
        total_tokens=1540,
    )
    client.force_login(staff)
    response = client.get(reverse("ops:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("alice@example.org", "gemini-3.8-live", "640 ms", "910 ms", "1,540", "degraded"):
        assert text in body


def test_the_summary_takes_percentiles_of_the_per_conversation_figures(
    client: Client, staff: User, alice: User
) -> None:
    for p50, p95, reconnects in [(500, 700, 0), (600, 900, 1), (700, 1000, 0), (800, 2000, 3)]:
        conversation(
            alice,
            latency_p50_ms=p50,
            latency_p95_ms=p95,
            reconnect_count=reconnects,
            total_tokens=100,
        )
    conversation(None, status="failed")  # a trial that never got an answer: no latency
    client.force_login(staff)
    summary = client.get(reverse("ops:dashboard")).context["summary"]
    assert (summary.conversations, summary.measured) == (5, 4)
    assert (summary.p50_of_p50, summary.p95_of_p50) == (600, 800)
    assert (summary.p50_of_p95, summary.p95_of_p95) == (900, 2000)
    assert (summary.reconnects, summary.with_reconnects) == (4, 2)
    assert (summary.failed, summary.total_tokens) == (1, 400)


def test_the_period_leaves_out_older_conversations(
    client: Client, staff: User, alice: User
) -> None:
    conversation(alice, latency_p50_ms=100)
    conversation(alice, latency_p50_ms=900, started_at=timezone.now() - timedelta(days=10))
    client.force_login(staff)
    week = client.get(reverse("ops:dashboard")).context
    month = client.get(reverse("ops:dashboard"), {"days": "30"}).context
    assert (len(week["rows"]), week["summary"].p50_of_p50) == (1, 100)
    assert len(month["rows"]) == 2
    assert client.get(reverse("ops:dashboard"), {"days": "x"}).context["days"] == 7


def test_an_empty_period_says_so(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.get(reverse("ops:dashboard"))
    assert response.context["summary"].p50_of_p50 is None
    assert "No conversations in the last 7 days" in response.content.decode()


def test_learners_and_teachers_get_a_404(client: Client, alice: User, bob: User) -> None:
    for user in (alice, bob):
        client.force_login(user)
        assert client.get(reverse("ops:dashboard")).status_code == 404


def test_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("ops:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_costs_the_same_queries_for_many_conversations(
    client: Client,
    staff: User,
    alice: User,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    client.force_login(staff)
    conversation(alice, latency_p50_ms=500)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ops:dashboard"))
    for _ in range(30):
        conversation(alice, latency_p50_ms=500)
        conversation(None)
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("ops:dashboard"))
