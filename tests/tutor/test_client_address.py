"""Which address the per-IP limits count, behind a proxy and without one.

The deployment kit (deploy/, docs/deploy.md) runs Daphne with `--proxy-headers
--proxy-headers-host X-Real-IP` behind a proxy that overwrites X-Real-IP with the client's
address. Without those flags Daphne and the app take the TCP peer and ignore every header.
"""

from __future__ import annotations

import asyncio
import http.client
import re
from pathlib import Path

import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.test import Client

from lessons.models import Conversation
from tests.servers import adaphne, server_env
from tests.tutor.test_shutdown import database_url

pytestmark = pytest.mark.django_db(transaction=True)
CLIENT = "203.0.113.7"  # documentation range (RFC 5737)
FORGED = "198.51.100.66"


def _trial_ip() -> str | None:
    conversation = Conversation.objects.get()
    return conversation.trial_ip


def test_the_app_counts_the_peer_and_ignores_forwarding_headers() -> None:
    browser = Client(REMOTE_ADDR="192.0.2.10")
    response = browser.post(
        "/try/", {"language": "es"}, HTTP_X_FORWARDED_FOR=FORGED, HTTP_X_REAL_IP=FORGED
    )
    assert response.status_code == 302
    assert _trial_ip() == "192.0.2.10"


def _post_trial(port: int, headers: dict[str, str]) -> int:
    """A trial started as a browser would: the landing page for the CSRF cookie, then POST."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/", headers={"Host": "localhost"})
    page = conn.getresponse()
    body = page.read().decode()
    cookie = "; ".join(c.split(";", 1)[0] for c in page.headers.get_all("Set-Cookie") or [])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token, "the landing page has a CSRF token"
    conn.request(
        "POST",
        "/try/",
        body=f"csrfmiddlewaretoken={token.group(1)}&language=es",
        headers={
            **headers,
            "Host": "localhost",
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": "http://localhost/",
        },
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


@pytest.mark.asyncio
async def test_behind_the_proxy_daphne_takes_the_address_the_proxy_set(tmp_path: Path) -> None:
    env = server_env(database_url=database_url(), extra={"TERTULIA_TESTING": "1"})
    flags = ("--proxy-headers", "--proxy-headers-host", "X-Real-IP")
    async with adaphne(env, log=tmp_path / "daphne.log", args=flags) as server:
        # What the proxy sends: its own X-Real-IP, whatever X-Forwarded-For the client forged.
        headers = {"X-Real-IP": CLIENT, "X-Forwarded-For": f"{FORGED}, {CLIENT}"}
        status = await asyncio.to_thread(_post_trial, server.port, headers)
    assert status == 302
    stored = await database_sync_to_async(_trial_ip)()
    await database_sync_to_async(connections.close_all)()  # so the test database can go
    assert stored == CLIENT
