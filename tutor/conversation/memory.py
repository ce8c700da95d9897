"""After a conversation ends, the learner's memory is updated, off the request path.

`remember_after` queues the update on one background thread per process and returns at once:
the learner never waits for it. The update reads what it needs from the database
(lessons.selectors.memory), asks the text model (tutor.live.memory) and stores the result
(lessons.services.memory). Nothing is lost when it fails: a conversation is marked as taken
in only together with the memory that took it in, so a failure (logged) is simply tried again
after the learner's next conversation ends. A trial's conversation is never sent.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from concurrent.futures import Future
from uuid import UUID

from django.conf import settings
from django.db import close_old_connections, connection

from lessons.background import Pending
from lessons.models import Conversation
from lessons.selectors.memory import UpdateInput, memory_update_input
from lessons.services.memory import memory_replace
from tutor.live import upstream
from tutor.live.memory import MemoryUnavailable, update_memory
from tutor.prompts.memory import MemoryTranscript, update_request, update_system_instruction

logger = logging.getLogger(__name__)

# One worker: updates of one process run one at a time, so two endings of the same learner's
# conversations (the End button and the socket closing) never race each other. A daemon
# thread: a server shutting down never waits for the model (a ThreadPoolExecutor's workers are
# joined at exit); an update lost that way is made after the learner's next conversation.
_jobs: queue.SimpleQueue[tuple[UUID, Future[bool]]] = queue.SimpleQueue()
_started = threading.Lock()
_worker: threading.Thread | None = None
_pending = Pending()  # jobs queued or running


def remember_after(conversation_id: UUID) -> Future[bool]:
    """Queue the memory update of the learner whose conversation just ended."""
    global _worker
    future: Future[bool] = Future()
    _pending.add()
    _jobs.put((conversation_id, future))
    with _started:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="tutor-memory", daemon=True)
            _worker.start()
    return future


def _work() -> None:
    while True:
        conversation_id, future = _jobs.get()
        try:
            if future.set_running_or_notify_cancel():
                future.set_result(_job(conversation_id))
        finally:
            _pending.done()


def drain(timeout: float = 30.0) -> bool:
    """Wait until no update is queued or running (tests: before the database is emptied, no
    update may still hold a connection to it). True if it got there within `timeout`."""
    return _pending.wait_idle(timeout)


def _job(conversation_id: UUID) -> bool:
    close_old_connections()
    try:
        row = Conversation.objects.filter(pk=conversation_id).values("learner_id").first()
        if row is None or row["learner_id"] is None:  # gone, or a trial: never remembered
            return False
        return remember(row["learner_id"])
    except Exception:
        logger.exception("memory update after conversation %s failed", conversation_id)
        return False
    finally:
        connection.close()  # this thread's own connection; the next job opens a fresh one


def remember(learner_id: int) -> bool:
    """Take the learner's ended conversations into their memory. True if it was updated."""
    data = memory_update_input(learner_id)
    if data is None:
        return False
    lines = data.lines
    if data.transcripts:
        connection.close()  # hold no database connection while the model thinks
        try:
            lines = asyncio.run(_ask(data))
        except MemoryUnavailable as exc:
            logger.warning(
                "memory update for learner %s failed (%s); tried again after the next conversation",
                learner_id,
                exc,
            )
            return False
        lines = lines or data.lines  # an empty answer never wipes what was remembered
    stored = memory_replace(
        learner_id=learner_id,
        lines=with_recurring(lines, data.recurring),
        conversation_ids=data.pending,
        source_id=data.transcripts[-1].conversation_id if data.transcripts else None,
        expected=data.snapshot,
    )
    if not stored:
        logger.info("memory of learner %s changed while updating; left for next time", learner_id)
    return stored


def with_recurring(lines: list[tuple[str, str]], recurring: list[str]) -> list[tuple[str, str]]:
    """The model's lines, and when it kept no error line, the corrections that came back in
    more than one conversation (counted from the stored corrections, no model needed): a weak
    point for the tutor to revisit. Last, so the budget drops them first."""
    if any(kind == "error" for kind, _ in lines):
        return lines
    return [*lines, *(("error", f"Keeps coming back: {item}") for item in recurring[:2])]


async def _ask(data: UpdateInput) -> list[tuple[str, str]]:
    request = update_request(
        learner_name=data.name,
        language=data.language,
        native_language=data.native_language,
        lines=data.lines,
        transcripts=[MemoryTranscript(t.topic, t.turns, t.corrections) for t in data.transcripts],
        recurring=data.recurring,
    )
    return await update_memory(
        upstream.background_client(),
        model=settings.GEMINI_TEXT_MODEL,
        system_instruction=update_system_instruction(),
        request=request,
    )
