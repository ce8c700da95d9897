"""A Redis for the tests that need one: REDIS_URL when it is set, else a private
`redis-server` (no persistence) on a free port for as long as the context lasts.

Standard library only, like tests/servers.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

HOST = "127.0.0.1"
MISSING = (
    "these tests need Redis: set REDIS_URL, or install redis-server "
    "(Debian: apt-get install redis-server; bin/ensure-nginx installs it as root)"
)


@contextlib.contextmanager
def redis_url() -> Iterator[str]:
    configured = os.environ.get("REDIS_URL", "").strip()
    if configured:
        yield configured
        return
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError(MISSING)
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port = int(sock.getsockname()[1])
    command = [binary, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603 (fixed arguments)
    try:
        _wait(port)
        yield f"redis://{HOST}:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def _wait(port: int, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"redis-server did not listen on {port} in {within:.0f} s")
