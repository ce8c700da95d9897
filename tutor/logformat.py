"""Structured logs: with LOG_FORMAT=json, one JSON object per line, naming the conversation.

The conversation socket and the typed fallback bind their conversation's id to the current
context (`bind_conversation`); every task the runtime starts from there (the event pump, the
write queue, the Live session) inherits it, and so do the threads `sync_to_async` runs, so each
of their lines carries `"conversation"`. The handler's filters (`tutor.logsafety`) have taken
the key and frame contents out of a record before it is formatted here.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

CONVERSATION: ContextVar[str | None] = ContextVar("tertulia_conversation", default=None)


def bind_conversation(pk: UUID | str) -> None:
    """Name this conversation in every log line of the current context from now on."""
    CONVERSATION.set(str(pk))


@contextmanager
def conversation_bound(pk: UUID | str) -> Iterator[None]:
    """Name this conversation in the log lines of a block (an HTTP view): the binding ends with
    it, because asgiref copies a view's context changes back into a synchronous caller's."""
    token = CONVERSATION.set(str(pk))
    try:
        yield
    finally:
        CONVERSATION.reset(token)


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "pid", "message"}`, plus `"conversation"` where one is
    bound (or given as `extra={"conversation": ...}`) and `"exception"` with a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        conversation = getattr(record, "conversation", None) or CONVERSATION.get()
        if conversation:
            entry["conversation"] = str(conversation)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
