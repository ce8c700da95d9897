"""The pytest-django test database as a DATABASE_URL, for servers run as subprocesses."""

from __future__ import annotations

from urllib.parse import quote

from django.db import connection


def database_url() -> str:
    """Built from the live connection parameters: the embedded PostgreSQL's socket directory
    is an option there, not the HOST setting."""
    params = connection.get_connection_params()
    user = quote(params.get("user") or "")
    password = f":{quote(params['password'])}" if params.get("password") else ""
    host = quote(str(params.get("host") or "127.0.0.1"), safe="")
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgres://{user}{password}@{host}{port}/{params['dbname']}"
