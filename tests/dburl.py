"""The test database's address as a DATABASE_URL, for servers the tests start in a subprocess."""

from __future__ import annotations

from urllib.parse import quote

from django.db import connection


def database_url() -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    # The embedded server (no DATABASE_URL) is reached by a socket directory in OPTIONS.
    host = quote(db.get("HOST") or db.get("OPTIONS", {}).get("host") or "127.0.0.1", safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(db['NAME'])}"
