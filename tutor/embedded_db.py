"""The zero-configuration database: an embedded PostgreSQL (pgserver) under `.data/pg`.

Used only when DATABASE_URL is unset. The server keeps running after this process exits
(cleanup_mode=None) so `make run` and `make test` share it and restarts take ~1 s;
`make stop-db` stops it.
"""

from __future__ import annotations

import warnings
from pathlib import Path


def embedded_database_url(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # pgserver asks platformdirs for XDG_RUNTIME_DIR, which is often unset on servers.
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(data_dir / "pg", cleanup_mode=None)
    # get_uri() is "postgresql://postgres:@/postgres?host=<socket dir>"; we use our own database.
    server.psql("SELECT 1")
    exists = server.psql("SELECT 1 FROM pg_database WHERE datname = 'tertulia'")
    if "(1 row)" not in exists:
        server.psql("CREATE DATABASE tertulia")
    return server.get_uri("tertulia")
