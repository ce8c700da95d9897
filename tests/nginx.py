"""nginx in front of several Daphne processes, for the multi-process tests and bench/relay.py.

    with nginx([port_a, port_b], workdir=tmp) as proxy:
        proxy.url                     # http://127.0.0.1:PORT, round robin over the workers
        {"X-Tertulia-Worker": "1"}    # a request header that sends it to the second worker

The site is what a deployment would use for WebSockets (HTTP/1.1 upstream, Upgrade and
Connection passed on, long read timeout) plus two things for tests: the header above picks
a worker, so a test can land a reconnect on the other process deterministically, and every
response (the 101 of a WebSocket included) says which worker served it in `X-Upstream`.
Without the header nginx balances round robin and, when a worker refuses connections (it
died), passes the request to the next one.

The binary: $NGINX (`make test` sets it from bin/ensure-nginx), else nginx on PATH or in
/usr/sbin. Standard library only, like tests/servers.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
WORKER_HEADER = "X-Tertulia-Worker"
MISSING = "nginx not found: run bin/ensure-nginx (make test does), or set NGINX=/path/to/nginx"

SITE = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
{user}
events {{ worker_connections 4096; }}
http {{
    access_log {dir}/access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream tertulia {{
{servers}
    }}
{pinned}
    map $http_x_tertulia_worker $backend {{
        default tertulia;
{choices}
    }}
    # Group rooms as deploy/nginx/tertulia.conf routes them: every socket of a room to one
    # worker, by a consistent hash of the URI (the room's id).
    upstream tertulia_rooms {{
        hash $request_uri consistent;
{servers}
    }}
    server {{
        listen {host}:{port};
        location /ws/groups/ {{
            proxy_pass http://tertulia_rooms;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            add_header X-Upstream $upstream_addr always;
        }}
        location / {{
            proxy_pass http://$backend;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


@dataclass
class Proxy:
    url: str
    port: int
    proc: subprocess.Popen[bytes]
    workdir: Path

    def pinned(self, worker: int) -> dict[str, str]:
        """Request headers that send a request to worker `worker` (0-based)."""
        return {WORKER_HEADER: str(worker)}

    def log_tail(self, chars: int = 3000) -> str:
        path = self.workdir / "error.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""


def binary() -> str:
    for candidate in (os.environ.get("NGINX", ""), shutil.which("nginx") or "", "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise RuntimeError(MISSING)


def site(worker_ports: Sequence[int], port: int, workdir: Path) -> str:
    servers = "\n".join(
        f"        server {HOST}:{p} max_fails=1 fail_timeout=5s;" for p in worker_ports
    )
    pinned = "\n".join(
        f"    upstream worker{i} {{ server {HOST}:{p}; }}" for i, p in enumerate(worker_ports)
    )
    choices = "\n".join(f'        "{i}" worker{i};' for i in range(len(worker_ports)))
    # As root, nginx's workers would switch to an unprivileged user that cannot write here.
    user = "user root;" if os.geteuid() == 0 else ""
    return SITE.format(
        dir=workdir,
        user=user,
        servers=servers,
        pinned=pinned,
        choices=choices,
        host=HOST,
        port=port,
    )


@contextlib.contextmanager
def nginx(worker_ports: Sequence[int], *, workdir: Path, port: int = 0) -> Iterator[Proxy]:
    """nginx on 127.0.0.1 in front of `worker_ports`, in the foreground; stopped on the way out."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = port or _free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(site(worker_ports, port, workdir))
    command = [binary(), "-p", str(workdir), "-e", str(workdir / "error.log"), "-c", str(conf)]
    log = (workdir / "stderr.log").open("wb")
    proc = subprocess.Popen(  # noqa: S603 (nginx with our own configuration)
        [*command, "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT
    )
    proxy = Proxy(url=f"http://{HOST}:{port}", port=port, proc=proc, workdir=workdir)
    try:
        _wait(proxy)
        yield proxy
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


def _wait(proxy: Proxy, within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if proxy.proc.poll() is not None:
            said = (proxy.workdir / "stderr.log").read_text(errors="replace") + proxy.log_tail()
            raise RuntimeError(f"nginx exited ({proxy.proc.returncode}):\n{said}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, proxy.port), 0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nginx did not listen on {proxy.port} in {within:.0f} s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])
