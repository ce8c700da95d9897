"""SIGTERM: every conversation in this process goes elsewhere, or ends, before it exits.

Daphne stops on SIGTERM by cancelling the consumers of open sockets; a runtime whose page is
away (within its reconnect grace) has no consumer. So `drain_on_shutdown` also hooks Twisted's
shutdown (Daphne runs on Twisted's asyncio reactor): before the reactor stops, `drain` marks
the process as draining (new sockets are told to retry, 3013) and lets go of every runtime.

With other processes to go to (leases in Redis), each conversation is handed over: flushed,
its resumption handle stored, its lease released, and its page's socket closed with 3012, on
which the page reconnects and lands on another process. Alone (no Redis), each one is
finished, `server_shutdown`, as a single process always did.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

from tutor.conversation import ownership, protocol
from tutor.conversation.registry import REGISTRY

logger = logging.getLogger(__name__)


async def shut_down(runtime: Any) -> None:
    """One runtime, as its process stops."""
    if ownership.current().shared:
        await runtime.hand_over(close_code=protocol.CLOSE_MOVED)
    else:
        await runtime.finish("server_shutdown")


async def drain() -> None:
    ownership.current().draining = True
    runtimes = list(REGISTRY.values())
    if runtimes:
        logger.info("draining %d conversation(s)", len(runtimes))
    results = await asyncio.gather(*(shut_down(r) for r in runtimes), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            logger.error("drain failed", exc_info=result)


def drain_on_shutdown() -> bool:
    """Run `drain` before Daphne's reactor stops; False when not under Twisted (nothing to
    hook: only Daphne's SIGTERM handling is known here)."""
    reactor: Any = sys.modules.get("twisted.internet.reactor")
    if reactor is None:
        return False
    from twisted.internet import defer

    def before_shutdown() -> Any:
        return defer.Deferred.fromFuture(asyncio.ensure_future(drain()))

    reactor.addSystemEventTrigger("before", "shutdown", before_shutdown)
    return True
