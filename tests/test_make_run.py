"""`make run` as the README tells a newcomer to start it (nothing configured but the database):
Django's debug pages, which list every URL pattern, never reach a visitor, and the styled
pages and their stylesheet are served."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from accounts.models import User
from tests.dburl import database_url
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
# Settings a developer's shell (or the test run) may carry that `make run` must not inherit.
UNSET = ("DEBUG", "TERTULIA_TESTING", "TERTULIA_INSECURE_HTTP", "GEMINI_API_KEY")


def _get(url: str, cookie: str = "") -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            status, body, kind = response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        status, body, kind = error.code, error.read(), error.headers["Content-Type"]
    return status, body.decode(errors="replace"), kind


@contextlib.contextmanager
def make_run(log: Path) -> Iterator[str]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in UNSET}
    env.update(DATABASE_URL=database_url(), GOOGLE_GEMINI_BASE_URL="")
    command = ["make", "run", f"PORT={port}", f"EMULATOR_PORT={free_port()}"]
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603 (our Makefile, fixed arguments)
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, "make run exited:\n" + log.read_text(errors="replace")
            with contextlib.suppress(OSError):
                if _get(base + "/healthz")[0] == 200:
                    break
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.5)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the group this test started: make, emulator, daphne
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        _end_server_sessions()


def _end_server_sessions() -> None:
    """The server's PostgreSQL sessions outlive it by a moment; pytest-django cannot drop the
    test database while they are there. Wait for them, then end any left."""
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with connection.cursor() as cursor:
        for attempt in range(100):
            cursor.execute(f"SELECT count(*) {others}")
            if cursor.fetchone()[0] == 0:
                return
            if attempt > 20:
                cursor.execute(f"SELECT pg_terminate_backend(pid) {others}")
            time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_make_run_never_shows_debug_pages(alice: User, tmp_path: Path) -> None:
    client = Client()
    client.force_login(alice)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    with make_run(tmp_path / "make-run.log") as base:
        for path, who in (("/no-such-page/", ""), ("/ops/", cookie)):
            status, body, _ = _get(base + path, who)
            assert status == 404, (path, body[:500])
            assert "We can't find that page" in body
            assert "URLconf" not in body and "Django tried these URL patterns" not in body
        stylesheet = re.search(r'href="(/static/css/site[^"]*\.css)"', body)
        assert stylesheet, body[:1000]
        status, css, kind = _get(base + stylesheet.group(1))
        assert (status, kind.split(";")[0]) == (200, "text/css")
        assert ".error-card" in css
