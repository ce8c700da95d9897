"""Probes for load balancers and Prometheus: /healthz, /readyz and /metrics.

- `/healthz`: 200 while the process answers (liveness). It touches nothing else.
- `/readyz`: 200 when this process can serve conversations: PostgreSQL accepts a new
  connection, Redis answers PING (when REDIS_URL is set), and a tutor is configured (a Gemini
  key, or the emulator's address for the offline demo tutor). Otherwise 503; the JSON body
  names what failed. Details that would describe the infrastructure go to the log, not to
  the (public) response.
- `/metrics`: Prometheus text from `tutor.metrics`, for `Authorization: Bearer
  <METRICS_TOKEN>` only. With no METRICS_TOKEN the endpoint does not exist (404); a missing
  or wrong token gets 401. The token is compared in constant time.

`ProbeMiddleware` runs first and answers these paths itself, on the event loop: a load
balancer probes a worker by its own address (a Host header ALLOWED_HOSTS does not list) over
plain http (which the HTTPS redirect would bounce), and a probe must not queue behind the one
thread Django runs sync views in.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import psycopg
import redis.asyncio as aioredis
from asgiref.sync import markcoroutinefunction
from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

logger = logging.getLogger(__name__)

TIMEOUT = 2.0  # seconds for each dependency; load balancers probe every few seconds
Check = tuple[bool, str]
# What Django adds to the connection parameters that is not libpq's.
_NOT_CONNINFO = ("cursor_factory", "context", "prepare_threshold", "server_side_binding")


@require_safe
async def healthz(request: HttpRequest) -> HttpResponse:
    return _no_store(HttpResponse("ok", content_type="text/plain"))


@require_safe
async def readyz(request: HttpRequest) -> HttpResponse:
    database, redis = await asyncio.gather(_database(), _redis())
    checks = {"database": database, "redis": redis, "tutor": _tutor()}
    failed = [name for name, (ok, _) in checks.items() if not ok]
    if failed:
        logger.warning("readyz: not ready (%s)", ", ".join(failed))
    body = {
        "ready": not failed,
        "failed": failed,
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
    }
    return _logged(_no_store(JsonResponse(body, status=503 if failed else 200)))


@require_safe
async def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if not token:
        return _logged(HttpResponse("not found\n", status=404, content_type="text/plain"))
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        response = HttpResponse("unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return _no_store(HttpResponse(generate_latest(), content_type=CONTENT_TYPE_LATEST))


async def _database() -> Check:
    """A new connection with the application's own parameters, and SELECT 1."""
    params = connections["default"].get_connection_params()
    for key in _NOT_CONNINFO:
        params.pop(key, None)
    params.setdefault("connect_timeout", max(2, round(TIMEOUT)))  # libpq's minimum is 2
    try:
        async with asyncio.timeout(TIMEOUT + 1):
            conn = await psycopg.AsyncConnection.connect(**params)
            async with conn:
                await conn.execute("SELECT 1")
    except (psycopg.Error, OSError, TimeoutError) as exc:
        logger.warning("readyz: database check failed: %s", exc)
        return False, "unreachable"
    return True, "ok"


async def _redis() -> Check:
    if not settings.REDIS_URL:
        return True, "not configured (in-memory channel layer, one process)"
    client = aioredis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT
    )
    try:
        async with asyncio.timeout(TIMEOUT + 1):
            await client.ping()
    except (aioredis.RedisError, OSError, TimeoutError) as exc:
        logger.warning("readyz: redis check failed: %s", exc)
        return False, "unreachable"
    finally:
        await client.aclose()
    return True, "ok"


def _tutor() -> Check:
    if settings.GEMINI_API_KEY:
        return True, "gemini"
    if settings.GOOGLE_GEMINI_BASE_URL:
        return True, "offline demo tutor (emulator)"
    return False, "neither GEMINI_API_KEY nor an emulator (GOOGLE_GEMINI_BASE_URL) is set"


def _logged(response: HttpResponse) -> HttpResponse:
    """Tell Django not to log this 4xx/5xx again: a load balancer probing an unready worker
    every few seconds would repeat the same ERROR line (the warning above says it once)."""
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


PROBES: dict[str, Callable[[HttpRequest], Awaitable[HttpResponse]]] = {
    "/healthz": healthz,
    "/readyz": readyz,
    "/metrics": metrics,
}


class ProbeMiddleware:
    """Answers the probe paths before any other middleware (see the module docstring)."""

    sync_capable = False
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Awaitable[Any]]) -> None:
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> Any:
        probe = PROBES.get(request.path_info)
        # Anything but GET and HEAD takes the usual way (CSRF check, then 405 from the view).
        if probe is None or request.method not in ("GET", "HEAD"):
            return await self.get_response(request)
        return await probe(request)
