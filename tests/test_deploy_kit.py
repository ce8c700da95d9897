"""The operator's kit in deploy/ holds together: the compose file parses and names its services,
each proxy forwards WebSocket upgrades and sets the client-address header the workers read,
and the files agree with each other and with the code (ports, commands, the uv version).

Docker, nginx and Caddy are not needed: these read the files. docs/deploy.md says how they
were checked against the real tools.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
WORKERS = ("web1", "web2")
ADDRESS_HEADER = "X-Real-IP"  # what the workers' Daphne reads (--proxy-headers-host)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _text(name: str) -> str:
    return (DEPLOY / name).read_text()


def test_compose_names_its_services(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {
        "migrate",
        *WORKERS,
        "retention",
        "postgres",
        "redis",
        "caddy",
        "prometheus",
    }
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["caddy"]["image"].startswith("caddy:")


def test_the_workers_are_built_here_and_reach_postgres_and_redis(compose: dict[str, Any]) -> None:
    for name in WORKERS:
        worker = compose["services"][name]
        assert worker["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        env = worker["environment"]
        assert (
            env["DATABASE_URL"].startswith("postgres://")
            and "@postgres:5432/" in env["DATABASE_URL"]
        )
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["GEMINI_API_KEY_FILE"] == "/run/secrets/gemini_api_key"
        assert "GEMINI_API_KEY" not in env  # the key is a secret file, never an env value
        assert worker["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert "ports" not in worker  # only the proxy may reach them (X-Real-IP is trusted)
    for secret in compose["secrets"].values():
        assert secret["file"].startswith("./secrets/")


def test_only_the_proxy_publishes_ports(compose: dict[str, Any]) -> None:
    published = {name: s["ports"] for name, s in compose["services"].items() if "ports" in s}
    assert set(published) == {"caddy", "prometheus"}
    assert {"80:80", "443:443"} <= set(published["caddy"])
    assert all(port.startswith("127.0.0.1:") for port in published["prometheus"])


def test_compose_runs_commands_that_exist(compose: dict[str, Any]) -> None:
    commands = get_commands()
    for name in ("migrate", "retention"):
        script = " ".join(compose["services"][name]["command"])
        for used in re.findall(r"manage\.py (\w+)", script):
            assert used in commands, f"{name} runs manage.py {used}, which does not exist"
    assert "enforce_retention" in " ".join(compose["services"]["retention"]["command"])


def test_the_dockerfile_is_multi_stage_locked_non_root_with_static_files() -> None:
    dockerfile = _text("Dockerfile")
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) == 2
    assert "uv sync --locked --no-dev" in dockerfile
    assert "collectstatic --no-input" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    cmd = re.search(r"^CMD \[(.+?)\]$", dockerfile, re.MULTILINE | re.DOTALL)
    assert cmd is not None
    assert '"--proxy-headers-host", "X-Real-IP"' in cmd.group(1)
    assert '"--port", "8000"' in cmd.group(1)
    # The image installs with the same uv as `make install`.
    makefile_uv = re.search(r"^UV_VERSION := (\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert makefile_uv is not None
    assert f"ARG UV_VERSION={makefile_uv.group(1)}" in dockerfile


def test_caddy_proxies_both_workers_and_sets_the_client_address() -> None:
    caddyfile = _text("Caddyfile")
    assert re.search(r"reverse_proxy web1:8000 web2:8000", caddyfile)
    assert f"header_up {ADDRESS_HEADER} {{remote_host}}" in caddyfile
    assert "health_uri /readyz" in caddyfile


def test_the_nginx_example_upgrades_websockets_and_overwrites_the_address_headers() -> None:
    site = _text("nginx/tertulia.conf")
    assert "proxy_http_version 1.1;" in site
    assert "proxy_set_header Upgrade $http_upgrade;" in site
    assert "proxy_set_header Connection $connection_upgrade;" in site
    assert re.search(r"map \$http_upgrade \$connection_upgrade \{\s*default upgrade;", site)
    assert f"proxy_set_header {ADDRESS_HEADER} $remote_addr;" in site
    # Appending would keep what the client sent in front: forgeable.
    assert "$proxy_add_x_forwarded_for" not in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site


def test_nginx_systemd_and_prometheus_name_the_same_worker_ports(compose: dict[str, Any]) -> None:
    upstream = set(re.findall(r"server 127\.0\.0\.1:(\d+);", _text("nginx/tertulia.conf")))
    unit = _text("systemd/tertulia@.service")
    assert upstream == {"8001", "8002"}
    assert "--bind 127.0.0.1 --port %i" in unit and "tertulia@8001" in unit
    assert f"--proxy-headers-host {ADDRESS_HEADER}" in unit
    prometheus = yaml.safe_load(_text("prometheus.yml"))
    targets = prometheus["scrape_configs"][0]["static_configs"][0]["targets"]
    assert targets == [f"{name}:8000" for name in WORKERS]


def test_the_retention_timer_runs_the_retention_command_daily() -> None:
    timer, service = (
        _text("systemd/tertulia-retention.timer"),
        _text("systemd/tertulia-retention.service"),
    )
    assert re.search(r"^OnCalendar=\*-\*-\* \d\d:\d\d:\d\d$", timer, re.MULTILINE)
    assert "Persistent=true" in timer
    assert "manage.py enforce_retention" in service
    assert "enforce_retention" in get_commands()


def test_group_rooms_go_to_one_worker_by_the_uri() -> None:
    # Every member of a room must reach the process that holds its Live session.
    site = _text("nginx/tertulia.conf")
    rooms = re.search(r"upstream tertulia_rooms \{(.*?)\}", site, re.S)
    assert rooms is not None and "hash $request_uri consistent;" in rooms.group(1)
    assert re.search(r"location /ws/groups/ \{\s*proxy_pass http://tertulia_rooms;", site)
    caddyfile = _text("Caddyfile")
    block = re.search(r"reverse_proxy /ws/groups/\* web1:8000 web2:8000 \{(.*?)\}", caddyfile, re.S)
    assert block is not None and "lb_policy uri_hash" in block.group(1)
