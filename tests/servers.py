"""Daphne serving tutor.asgi in a subprocess, for the tests and the benches: one way to start it.

    env = server_env(database_url=url, emulator=emulator_env, extra={"TERTULIA_TESTING": "1"})
    with daphne(env, log=tmp / "daphne.log") as server:
        url, proc, log = server   # or server.url, server.proc, server.log

`daphne()` picks a free port (or takes `port`), starts `python -m daphne -b 127.0.0.1 -p PORT
tutor.asgi:application` from the repository root, waits until GET /healthz answers 200, and on
the way out sends SIGTERM, waits, then kills. With `workers=N, share_socket=True` it starts N
processes accepting from one listening socket (`daphne --fd`), as bench/stack.py deploys it.
If the server does not come up, or the body raises, or it has to be killed, the log's tail is
printed to stderr (the failure message of a start-up carries it too). `adaphne()` is the same
for async tests: the blocking start and stop run in a thread. `run_python()` runs our
interpreter once, for manage.py commands and settings probes.

Standard library only, and no Django: the bench scripts import it before they set Django up.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
APPLICATION = "tutor.asgi:application"


def run_python(
    args: Sequence[str], env: Mapping[str, str], *, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Our interpreter in the repository root with exactly `env` (a manage.py command or a
    settings probe), its output captured as text; the caller checks the return code."""
    return subprocess.run(  # noqa: S603 (our own interpreter, the caller's fixed arguments)
        [sys.executable, *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class ServerError(RuntimeError):
    """Daphne exited or did not answer in time; the message ends with its log's tail."""


@dataclass
class Server:
    url: str
    port: int
    procs: list[subprocess.Popen[bytes]]
    log: Path | None  # None: the server wrote to this process's stdout and stderr

    @property
    def proc(self) -> subprocess.Popen[bytes]:
        return self.procs[0]

    @property
    def pids(self) -> list[int]:
        return [proc.pid for proc in self.procs]

    def __iter__(self) -> Iterator[Any]:
        """`url, proc, log = server`."""
        return iter((self.url, self.proc, self.log))

    def log_tail(self, chars: int = 3000) -> str:
        if self.log is None or not self.log.exists():
            return "(no log file: the server wrote to the terminal)"
        return self.log.read_text(errors="replace")[-chars:]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_env(
    *,
    database_url: str,
    emulator: Mapping[str, str] | None = None,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """This process's environment without GEMINI_API_KEY (the server must talk to the
    emulator, never to Google), with DATABASE_URL, the emulator's address and CA (`emulator`:
    the GOOGLE_GEMINI_BASE_URL and SSL_CERT_FILE lines `python -m tutor.emulator` prints) and
    then `extra` on top."""
    env = {key: value for key, value in os.environ.items() if key != "GEMINI_API_KEY"}
    env["DATABASE_URL"] = database_url
    if emulator is not None:
        env["GOOGLE_GEMINI_BASE_URL"] = emulator["GOOGLE_GEMINI_BASE_URL"]
        env["GEMINI_CA_FILE"] = emulator["SSL_CERT_FILE"]
    env.update(extra or {})
    return env


@contextlib.contextmanager
def daphne(
    env: Mapping[str, str],
    *,
    port: int | None = None,
    log: Path | None = None,
    workers: int = 1,
    share_socket: bool = False,
    args: Sequence[str] = (),
    ready_path: str = "/healthz",
    within: float = 30.0,
    stop_within: float = 10.0,
) -> Iterator[Server]:
    """Daphne on 127.0.0.1 with exactly `env`, answering `ready_path`; stopped on the way out.

    `log`: a file for its stdout and stderr (None: inherit this process's). `args`: more daphne
    options (e.g. ("-v", "0")). `share_socket`: bind here and pass the socket (`--fd`) to
    `workers` processes; otherwise one process on `-b 127.0.0.1 -p PORT`.
    """
    if workers != 1 and not share_socket:
        raise ValueError("several workers need share_socket=True (one listening socket)")
    handle: IO[bytes] | None = log.open("wb") if log is not None else None
    procs: list[subprocess.Popen[bytes]] = []
    try:
        if share_socket:
            port = _spawn_shared(env, port, workers, args, handle, procs)
        else:
            port = port or free_port()
            command = [sys.executable, "-m", "daphne", "-b", HOST, "-p", str(port), *args]
            procs.append(_popen([*command, APPLICATION], env, handle))
        server = Server(url=f"http://{HOST}:{port}", port=port, procs=procs, log=log)
        _wait_ready(server, ready_path, within)
        try:
            yield server
        except Exception:
            _print_tail(server, "the code using it failed")
            raise
    finally:
        killed = _stop(procs, stop_within)
        if handle is not None:
            handle.close()
        if killed and procs:
            _print_tail(Server("", 0, procs, log), f"killed after {stop_within:.0f} s")


@contextlib.asynccontextmanager
async def adaphne(env: Mapping[str, str], **options: Any) -> AsyncIterator[Server]:
    """`daphne()` for async code: starting and stopping run in a thread, not on the loop."""
    manager = daphne(env, **options)
    server = await asyncio.to_thread(manager.__enter__)
    try:
        yield server
    except BaseException as exc:
        if not await asyncio.to_thread(manager.__exit__, type(exc), exc, exc.__traceback__):
            raise
    else:
        await asyncio.to_thread(manager.__exit__, None, None, None)


def _popen(
    command: list[str], env: Mapping[str, str], handle: IO[bytes] | None, **kwargs: Any
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 (daphne from our venv, fixed arguments)
        command,
        cwd=ROOT,
        env=dict(env),
        stdout=handle,
        stderr=subprocess.STDOUT if handle is not None else None,
        **kwargs,
    )


def _spawn_shared(
    env: Mapping[str, str],
    port: int | None,
    workers: int,
    args: Sequence[str],
    handle: IO[bytes] | None,
    procs: list[subprocess.Popen[bytes]],
) -> int:
    """Several processes accepting from one listening socket (the kernel spreads the
    connections between them)."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, port or 0))
        listener.listen(1024)
        fd = listener.fileno()
        command = [sys.executable, "-m", "daphne", "--fd", str(fd), *args, APPLICATION]
        for _ in range(workers):
            procs.append(_popen(command, env, handle, pass_fds=(fd,)))
        return int(listener.getsockname()[1])


def _wait_ready(server: Server, path: str, within: float) -> None:
    url = server.url + path
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for proc in server.procs:
            if proc.poll() is not None:
                raise ServerError(
                    f"daphne exited ({proc.returncode}) before answering {url}:\n"
                    + server.log_tail()
                )
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url, timeout=1) as response,  # noqa: S310 (loopback)
        ):
            if response.status == 200:
                return
        time.sleep(0.1)
    raise ServerError(f"daphne did not answer {url} in {within:.0f} s:\n" + server.log_tail())


def _stop(procs: list[subprocess.Popen[bytes]], within: float) -> bool:
    """SIGTERM every process, wait up to `within` s in all, kill what is left. True if any
    had to be killed."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + within
    killed = False
    for proc in procs:
        try:
            proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            killed = True
    return killed


def _print_tail(server: Server, why: str) -> None:
    print(f"daphne ({why}); its log ends:\n{server.log_tail()}", file=sys.stderr)
