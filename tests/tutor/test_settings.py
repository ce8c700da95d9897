from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.servers import run_python
from tutor.env import envbool, envint, envlist, envsecret


def test_envbool_fails_loudly_on_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "yes")
    assert envbool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be a boolean"):
        envbool("FLAG", False)


def test_envint_checks_type_and_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAL_SECONDS", "sixty")
    with pytest.raises(ImproperlyConfigured, match="TRIAL_SECONDS must be an integer"):
        envint("TRIAL_SECONDS", 60)
    monkeypatch.setenv("TRIAL_SECONDS", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        envint("TRIAL_SECONDS", 60, minimum=1)
    monkeypatch.setenv("TRIAL_SECONDS", "90")
    assert envint("TRIAL_SECONDS", 60, minimum=1) == 90


def test_envlist_splits_on_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example , b.example,,")
    assert envlist("ALLOWED_HOSTS", []) == ["a.example", "b.example"]


def test_envsecret_reads_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cr3t\n")
    monkeypatch.setenv("GEMINI_API_KEY_FILE", str(secret))
    assert envsecret("GEMINI_API_KEY") == "s3cr3t"


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DEBUG"))}
    base.update(env)
    return run_python(["manage.py", *args], base, timeout=120)


def test_a_non_postgres_database_url_is_refused() -> None:
    result = _manage(["check"], {"DATABASE_URL": "sqlite:///x.db"})
    assert result.returncode != 0
    assert "Tertulia needs PostgreSQL" in result.stderr


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
            "DEBUG": "0",
            "TERTULIA_TESTING": "0",
            "SECRET_KEY": "x" * 64 + "-production-like-secret-key-with-entropy-1234567890",
            "ALLOWED_HOSTS": "tertulia.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_embedded_postgres_starts_when_no_database_url_is_set(tmp_path: Path) -> None:
    """The zero-configuration promise: no DATABASE_URL → pgserver under the data dir."""
    env = {"TERTULIA_DATA_DIR": str(tmp_path)}
    try:
        migrate = _manage(["migrate", "--no-input"], env)
        assert migrate.returncode == 0, migrate.stderr
        loaded = _manage(["load_topics"], env)
        assert loaded.returncode == 0, loaded.stderr
        assert "created" in loaded.stdout
        assert (tmp_path / "pg" / "PG_VERSION").exists()
    finally:
        stop = (
            "import sys, pgserver; pgserver.get_server(sys.argv[1], cleanup_mode='stop').cleanup()"
        )
        run_python(["-c", stop, str(tmp_path / "pg")], os.environ)  # the server we started


# Runs under production settings: the full middleware stack for the headers; the cookie
# middlewares themselves for the Set-Cookie lines (the session's database write is skipped:
# only the header is under test, and there is no database here).
PRODUCTION_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import Client, RequestFactory

SessionStore.save = lambda self, must_create=False: setattr(self, "_session_key", "k" * 32)
host = {"HTTP_HOST": "tertulia.example.org"}
plain = Client().get("/try/", **host)
secure = Client().get("/try/", secure=True, HTTP_X_FORWARDED_PROTO="https", **host)
# A load balancer probes a worker by its address, over plain http: no redirect, no 400.
by_address = {"HTTP_HOST": "10.0.0.7:8001"}
probes = [Client().get(path, **by_address).status_code for path in ("/healthz", "/readyz")]

def page(request):
    get_token(request)
    request.session["seen"] = True
    return HttpResponse("ok")

request = RequestFactory().get("/", secure=True, **host)
chain = SessionMiddleware(CsrfViewMiddleware(page))
cookies = chain(request).cookies
print(json.dumps({
    "redirect": [plain.status_code, plain.get("Location")],
    "probes": probes,
    "headers": dict(secure.items()),
    "csp": settings.CONTENT_SECURITY_POLICY,
    "cookies": {name: cookies[name].output() for name in cookies},
}))
"""


def test_production_sends_hsts_csp_frame_denial_and_secure_cookies() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DEBUG")},
        "DJANGO_SETTINGS_MODULE": "tutor.settings",
        "DEBUG": "0",
        "TERTULIA_TESTING": "0",
        "SECRET_KEY": "p" * 64,
        "ALLOWED_HOSTS": "tertulia.example.org",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/unused",  # parsed, never opened
    }
    result = run_python(["-c", PRODUCTION_PROBE], env)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.splitlines()[-1])
    assert probe["redirect"] == [301, "https://tertulia.example.org/try/"]
    # /readyz: 503, the database here is a closed port; answered all the same.
    assert probe["probes"] == [200, 503]
    headers = probe["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["Content-Security-Policy"] == probe["csp"]
    for directive in ("script-src 'self'", "frame-ancestors 'none'", "default-src 'self'"):
        assert directive in probe["csp"]
    assert "unsafe-inline" not in probe["csp"] and "unsafe-eval" not in probe["csp"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Permissions-Policy"] == "microphone=(self), camera=()"
    session, csrf = probe["cookies"]["sessionid"], probe["cookies"]["csrftoken"]
    assert "; Secure" in session and "; HttpOnly" in session and "SameSite=Lax" in session
    assert "; Secure" in csrf and "SameSite=Lax" in csrf


def test_old_secret_keys_can_be_given_while_a_new_one_rolls_out(tmp_path: Path) -> None:
    old = tmp_path / "old-keys"
    old.write_text("first-old-key, second-old-key\n")
    result = run_python(
        [
            "-c",
            "import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps([settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS]))",
        ],
        {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tutor.settings",
            "SECRET_KEY": "the-new-key",
            "SECRET_KEY_FALLBACKS_FILE": str(old),
        },
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == [
        "the-new-key",
        ["first-old-key", "second-old-key"],
    ]
