"""The operator page: how fast the tutor answers, how often Live reconnects, what it costs.

Staff only; anyone else gets a 404 (the page's existence is nobody else's business). Every
figure comes from the columns `conversation_finish` stores, so the page costs two queries (the
rows, and one aggregate) however many conversations it covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Aggregate, Count, FloatField, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lessons.models import Conversation

DAY_CHOICES = (1, 7, 30, 90)
DEFAULT_DAYS = 7
MAX_ROWS = 200


@dataclass(frozen=True)
class Summary:
    conversations: int
    measured: int  # conversations with at least one time-to-first-audio sample
    p50_of_p50: float | None
    p95_of_p50: float | None
    p50_of_p95: float | None
    p95_of_p95: float | None
    reconnects: int
    with_reconnects: int
    degraded: int
    failed: int
    prompt_tokens: int
    response_tokens: int
    total_tokens: int


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise Http404
    days = _days(request.GET.get("days"))
    recent = Conversation.objects.filter(started_at__gte=timezone.now() - timedelta(days=days))
    rows = (
        recent.select_related("learner", "topic")
        .only(*ROW_FIELDS)
        .order_by("-started_at", "pk")[:MAX_ROWS]
    )
    context = {
        "rows": list(rows),
        "summary": summarise(recent),
        "days": days,
        "day_choices": DAY_CHOICES,
        "max_rows": MAX_ROWS,
    }
    return render(request, "tutor/ops.html", context)


ROW_FIELDS = (
    "started_at",
    "ended_at",
    "status",
    "end_reason",
    "model",
    "language",
    "latency_p50_ms",
    "latency_p95_ms",
    "reconnect_count",
    "degraded",
    "prompt_tokens",
    "response_tokens",
    "total_tokens",
    "learner__email",
    "topic__title",
)


class PercentileDisc(Aggregate):
    """PostgreSQL's nearest-rank percentile: the first value at or above `fraction` of the
    ordered non-null values."""

    function = "percentile_disc"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: str, fraction: float) -> None:
        super().__init__(expression, fraction=float(fraction), output_field=FloatField())


def summarise(conversations: QuerySet[Conversation]) -> Summary:
    """Aggregates over some conversations, in one query."""
    totals = conversations.aggregate(
        n=Count("pk"),
        measured=Count("latency_p50_ms"),
        p50_of_p50=PercentileDisc("latency_p50_ms", 0.5),
        p95_of_p50=PercentileDisc("latency_p50_ms", 0.95),
        p50_of_p95=PercentileDisc("latency_p95_ms", 0.5),
        p95_of_p95=PercentileDisc("latency_p95_ms", 0.95),
        reconnects=Sum("reconnect_count", default=0),
        with_reconnects=Count("pk", filter=Q(reconnect_count__gt=0)),
        degraded=Count("pk", filter=Q(degraded=True)),
        failed=Count("pk", filter=Q(status=Conversation.Status.FAILED)),
        prompt_tokens=Sum("prompt_tokens", default=0),
        response_tokens=Sum("response_tokens", default=0),
        total_tokens=Sum("total_tokens", default=0),
    )
    totals["conversations"] = totals.pop("n")
    return Summary(**totals)


def _days(raw: str | None) -> int:
    try:
        days = int(raw or DEFAULT_DAYS)
    except ValueError:
        return DEFAULT_DAYS
    return days if days in DAY_CHOICES else DEFAULT_DAYS
