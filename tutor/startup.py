"""Work a server does once when its ASGI application is built (tutor.asgi), never for
`manage.py` commands that do not serve.

The sweep runs in a daemon thread: start-up must not wait on the database, and a database
that is down must not stop the server from starting (the next start or the
`sweep_conversations` command catches up).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)


def sweep_in_background() -> threading.Thread | None:
    if not settings.SWEEP_ON_START:
        return None
    thread = threading.Thread(target=_sweep, name="startup-sweep", daemon=True)
    thread.start()
    return thread


def _sweep() -> None:
    from lessons.services.sweep import conversations_sweep
    from tutor.conversation.registry import REGISTRY

    close_old_connections()
    try:
        report = conversations_sweep(live=set(REGISTRY))
    except Exception:  # the server still starts; the command can sweep later
        logger.exception("start-up sweep failed")
        return
    finally:
        connections.close_all()
    if report.ended:
        logger.info("start-up sweep: ended %d interrupted conversation(s)", len(report.ended))
