"""The running system that bench/bandwidth.py and bench/relay.py measure, started and stopped
here: a scratch PostgreSQL database (on the server of DATABASE_URL, else the embedded one),
the Live emulator (`python -m tutor.emulator`, real-time pace), Daphne worker processes
(several share one listening socket and a Redis channel layer, or with `proxy=True` each has
its own port behind nginx, tests/nginx.py) and seeded, signed-in learners.

Import this module before anything else from Django: it sets up Django for the bench process.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutor.settings")
os.environ.setdefault("TERTULIA_TESTING", "1")  # plain static storage in the bench process

import django  # noqa: E402

django.setup()

import psutil  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import User  # noqa: E402
from lessons.models import Conversation  # noqa: E402
from tests import servers  # noqa: E402
from tests.nginx import nginx  # noqa: E402
from tutor.live import upstream  # noqa: E402

PY = sys.executable
HOST = "127.0.0.1"
# The server under test: production settings, plain http on loopback, generous limits.
SERVER_ENV = {
    "DEBUG": "0",
    "TERTULIA_TESTING": "0",
    "TERTULIA_INSECURE_HTTP": "1",
    "LOG_LEVEL": "WARNING",
    "RECONNECT_GRACE_SECONDS": "0",
    "MAX_INBOUND_BYTES_PER_SECOND": "10000000",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "GEMINI_API_KEY": "",
    "PYTHONWARNINGS": "ignore:No directory at",  # whitenoise: no collectstatic for a bench
}


@dataclass
class Learner:
    conversation_id: str
    cookie: str
    instruction_sha1: str  # how the emulator's arrival log names this conversation


@dataclass
class Stack:
    workdir: Path
    scratch_db: str = ""
    database_url: str = ""
    emulator_env: dict[str, str] = field(default_factory=dict)
    arrivals: Path = Path()
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def pids(self, prefix: str) -> list[int]:
        return [p.pid for name, p in self.procs.items() if name.startswith(prefix)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def scratch_database(name: str) -> Iterator[str]:
    """Create and migrate `name` next to the configured database; yield its URL; drop it."""
    base = settings.DATABASES["default"]
    original = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield _database_url(name, base)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def _database_url(name: str, base: dict[str, object]) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        from tutor.embedded_db import embedded_database_url

        url = embedded_database_url(settings.DATA_DIR)
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@contextlib.contextmanager
def running(*, workers: int = 1, name: str = "bench", proxy: bool = False) -> Iterator[Stack]:
    """Scratch database, emulator and `workers` Daphne processes (behind nginx if `proxy`),
    stopped on the way out."""
    stack = Stack(workdir=Path(tempfile.mkdtemp(prefix=f"tertulia-{name}-")))
    try:
        with scratch_database(f"tertulia_{name}_{os.getpid()}") as url:
            stack.database_url = url
            try:
                start_emulator(stack)
                with start_daphne(stack, workers, proxy=proxy):
                    yield stack
            finally:
                stop(stack)  # before the database is dropped: the servers hold connections
    finally:
        shutil.rmtree(stack.workdir, ignore_errors=True)


def start_emulator(stack: Stack) -> None:
    stack.arrivals = stack.workdir / "arrivals.log"
    env = {**os.environ, "TERTULIA_EMULATOR_ARRIVALS": str(stack.arrivals)}
    proc = subprocess.Popen(  # noqa: S603 (our own fixed command line)
        [PY, "-m", "tutor.emulator", "--port", "0", "--workdir", str(stack.workdir / "emu")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=(stack.workdir / "emulator.log").open("w"),
    )
    stack.procs["emulator"] = proc
    assert proc.stdout is not None
    for _ in range(2):
        key, _, value = proc.stdout.readline().decode().strip().partition("=")
        stack.emulator_env[key] = value
    if set(stack.emulator_env) != {"GOOGLE_GEMINI_BASE_URL", "SSL_CERT_FILE"}:
        raise RuntimeError(f"the emulator did not start: {stack.emulator_env}")


@contextlib.contextmanager
def start_daphne(stack: Stack, workers: int, *, proxy: bool = False) -> Iterator[None]:
    """One Daphne, or several accepting from one listening socket (the kernel spreads the
    connections) with Redis as the channel layer, as a multi-process deployment would; with
    `proxy`, each on its own port behind nginx (round robin), as the README deploys it.
    Started and stopped by tests/servers.py; its output goes to the terminal."""
    if proxy:
        with _behind_nginx(stack, workers):
            yield
        return
    env = _environment(stack, workers)
    with servers.daphne(
        env, workers=workers, share_socket=True, args=("-v", "0"), within=60, stop_within=15
    ) as server:
        stack.port = server.port
        for index, proc in enumerate(server.procs):
            stack.procs[f"daphne{index}"] = proc
        try:
            yield
        finally:
            for index in range(workers):
                stack.procs.pop(f"daphne{index}", None)


def _environment(stack: Stack, workers: int) -> dict[str, str]:
    """The servers' environment; with several workers, a private Redis (the system's
    redis-server, wherever PATH has it) for the channel layer and the leases."""
    extra = dict(SERVER_ENV)
    if workers > 1:
        redis_port = free_port()
        command = ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"]
        stack.procs["redis"] = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
        extra["REDIS_URL"] = f"redis://{HOST}:{redis_port}/0"
    return servers.server_env(
        database_url=stack.database_url, emulator=stack.emulator_env, extra=extra
    )


@contextlib.contextmanager
def _behind_nginx(stack: Stack, workers: int) -> Iterator[None]:
    env = _environment(stack, workers)
    with contextlib.ExitStack() as started:
        ports = []
        for index in range(workers):
            server = started.enter_context(
                servers.daphne(env, args=("-v", "0"), within=60, stop_within=15)
            )
            stack.procs[f"daphne{index}"] = server.proc
            ports.append(server.port)
        proxy = started.enter_context(nginx(ports, workdir=stack.workdir / "nginx"))
        stack.procs["nginx"], stack.port = proxy.proc, proxy.port
        try:
            yield
        finally:
            for index in range(workers):
                stack.procs.pop(f"daphne{index}", None)
            stack.procs.pop("nginx", None)


def stop(stack: Stack) -> None:
    emulator = stack.procs.get("emulator")
    if emulator is not None and emulator.poll() is not None:
        log = (stack.workdir / "emulator.log").read_text()[-3000:]
        print(f"the emulator exited early ({emulator.returncode}):\n{log}", file=sys.stderr)
    for proc in stack.procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in stack.procs.values():
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    stack.procs.clear()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far."""
    total = 0.0
    for pid in pids:
        times = psutil.Process(pid).cpu_times()
        total += times.user + times.system
    return total


def seed_learners(prefix: str, count: int) -> list[Learner]:
    """`count` signed-in learners, each with one fresh conversation (free talk, Spanish)."""
    learners = []
    for index in range(count):
        user = User.objects.create_user(
            email=f"{prefix}-{index}@bench.invalid",
            password=None,
            display_name=f"{prefix} learner {index}",
            onboarded=True,
            target_language="es",
            native_language="en",
            level="A2",
        )
        conversation = Conversation.objects.create(learner=user, language="es", level="A2")
        learners.append(
            Learner(
                conversation_id=str(conversation.pk),
                cookie=f"{settings.SESSION_COOKIE_NAME}={_session_key(user)}",
                instruction_sha1=sha1(upstream.system_instruction(conversation)),
            )
        )
    return learners


def _session_key(user: User) -> str:
    """A logged-in session, as django.contrib.auth.login would store it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return str(session.session_key)


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 (a label, not security)
