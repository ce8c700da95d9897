"""Work a server does from the moment its ASGI application is built (tutor.asgi), never for
`manage.py` commands that do not serve: sweeping conversations nobody is behind any more
(lessons.services.sweep), once at start-up and then every SWEEP_EVERY_SECONDS, so abandoned
conversations and never-started pages end without an operator.

The sweeps run in a daemon thread: start-up must not wait on the database, and a database that
is down must not stop the server from starting or serving (the next sweep catches up).
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)


def sweep_in_background() -> threading.Thread | None:
    every = settings.SWEEP_EVERY_SECONDS
    if not settings.SWEEP_ON_START and not every:
        return None
    thread = threading.Thread(
        target=_sweeper, args=(settings.SWEEP_ON_START, every), name="sweeper", daemon=True
    )
    thread.start()
    return thread


def _sweeper(at_start: bool, every: int) -> None:
    if at_start:
        sweep_once("start-up")
    while every:
        time.sleep(every)
        sweep_once("periodic")


def sweep_once(when: str) -> int:
    """One sweep, sparing this process's own runtimes; the number of conversations ended."""
    from lessons.services.sweep import conversations_sweep
    from tutor.conversation.registry import REGISTRY

    close_old_connections()
    try:
        # dict.copy() copies the table without re-hashing keys: safe while the event loop's
        # thread adds and removes runtimes.
        report = conversations_sweep(live=set(REGISTRY.copy()))
    except Exception:  # the server carries on; the next sweep (or the command) catches up
        logger.exception("%s sweep failed", when)
        return 0
    finally:
        connections.close_all()
    if report.ended:
        logger.info("%s sweep: ended %d conversation(s) nobody was behind", when, len(report.ended))
    return len(report.ended)
