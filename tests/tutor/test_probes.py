"""/healthz, /readyz and /metrics (tutor/probes.py): what a load balancer and Prometheus see.

The production answers (a worker probed by its address over plain http, with the HTTPS
redirect on) are checked in tests/tutor/test_settings.py under production settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings

TOKEN = "probe-test-token-0123456789"
# A tutor is configured (the emulator's address; readiness only checks the setting).
TUTOR = {"GEMINI_API_KEY": "", "GOOGLE_GEMINI_BASE_URL": "https://127.0.0.1:9"}
CLOSED_PORT = "redis://127.0.0.1:9/0"  # discard: nothing listens there


@pytest.fixture
def http() -> Client:
    return Client()


def test_healthz_answers_ok_without_touching_anything(http: Client) -> None:
    response = http.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Cache-Control"] == "no-store"


def test_probes_refuse_other_methods(http: Client) -> None:
    response = http.post("/healthz")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    forged = Client(enforce_csrf_checks=True).post("/readyz")
    assert forged.status_code == 403  # like every other URL, CSRF comes first


@pytest.mark.django_db  # the test database: it exists wherever the suite runs
@override_settings(**TUTOR)
def test_readyz_is_ready_when_database_and_tutor_are(http: Client) -> None:
    response = http.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ready"] is True and body["failed"] == []
    assert set(body["checks"]) == {"database", "redis", "tutor"}
    assert body["checks"]["tutor"] == {"ok": True, "detail": "offline demo tutor (emulator)"}


@pytest.mark.django_db
@override_settings(**TUTOR, REDIS_URL="")
def test_without_redis_configured_readiness_does_not_ask_for_it(http: Client) -> None:
    body = http.get("/readyz").json()
    assert body["ready"] is True
    assert body["checks"]["redis"]["ok"] and "not configured" in body["checks"]["redis"]["detail"]


@pytest.fixture
def wrong_database() -> Iterator[None]:
    """The application's connection settings name a database that does not exist."""
    original = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = "tertulia_no_such_database"
    try:
        yield
    finally:
        connection.settings_dict["NAME"] = original


@override_settings(**TUTOR)
@pytest.mark.usefixtures("wrong_database")
def test_readyz_is_503_and_names_the_database_when_it_is_unreachable(http: Client) -> None:
    response = http.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False and body["failed"] == ["database"]
    # Public: says what failed, not where the database lives or why.
    assert body["checks"]["database"] == {"ok": False, "detail": "unreachable"}
    assert "tertulia_no_such_database" not in response.content.decode()


@override_settings(**TUTOR, REDIS_URL=CLOSED_PORT)
def test_readyz_is_503_and_names_redis_when_it_is_unreachable(http: Client) -> None:
    response = http.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["redis"]


@override_settings(GEMINI_API_KEY="", GOOGLE_GEMINI_BASE_URL="")
def test_readyz_is_503_when_no_tutor_is_configured(http: Client) -> None:
    response = http.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert "tutor" in body["failed"]
    assert "GEMINI_API_KEY" in body["checks"]["tutor"]["detail"]


@override_settings(GEMINI_API_KEY="AIza-test", GOOGLE_GEMINI_BASE_URL="")
def test_a_gemini_key_is_a_configured_tutor(http: Client) -> None:
    body = http.get("/readyz").json()
    assert body["checks"]["tutor"] == {"ok": True, "detail": "gemini"}
    assert "AIza-test" not in str(body)


# -- /metrics --------------------------------------------------------------------------


def _metrics(http: Client, authorization: str | None = None) -> Any:
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    return http.get("/metrics", **headers)


@override_settings(METRICS_TOKEN="")
def test_metrics_do_not_exist_without_a_token_setting(http: Client) -> None:
    assert _metrics(http).status_code == 404
    assert _metrics(http, f"Bearer {TOKEN}").status_code == 404


@override_settings(METRICS_TOKEN=TOKEN)
@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong", f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN],
    ids=["none", "empty", "no-token", "wrong", "longer", "basic", "no-scheme"],
)
def test_metrics_need_the_bearer_token(http: Client, authorization: str | None) -> None:
    response = _metrics(http, authorization)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"tertulia_" not in response.content


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_with_the_token_are_prometheus_text(http: Client) -> None:
    response = _metrics(http, f"bearer {TOKEN}")  # the scheme is case-insensitive
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    for name in (
        "tertulia_active_conversations",
        "tertulia_handovers_total",
        "tertulia_live_reconnects_total",
        "tertulia_first_audio_seconds_bucket",
        "tertulia_write_queue_depth",
        "tertulia_write_retries_total",
        "tertulia_frames_dropped_total",
        "tertulia_trial_starts_total",
        "tertulia_typed_fallback_messages_total",
        "process_cpu_seconds_total",
    ):
        assert f"\n{name}" in text or f"# TYPE {name}" in text, name
