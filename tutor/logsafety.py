"""Logging filters that keep the Gemini key and what people said out of the log.

websockets logs every handshake header at DEBUG, and the SDK sends the key as a header
(x-goog-api-key), so LOG_LEVEL=DEBUG would write the key to the log. settings.LOGGING puts this
filter on that logger (the record is cleaned before any handler sees it) and on our handler
(a catch-all for whatever else reaches it).

websockets also logs every frame at DEBUG, and a frame to or from Gemini holds the learner's
words (typed text, transcriptions) and the tutor's: `WithholdFrames` keeps only each frame's
kind and size.
"""

from __future__ import annotations

import logging

from django.conf import settings

REDACTED = "[redacted]"


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        secret = getattr(settings, "GEMINI_API_KEY", "") if settings.configured else ""
        if secret:
            try:
                _redact(record, secret)
            except Exception:  # a filter that raises would break the caller's log call
                record.msg, record.args = "(log record withheld: it could not be redacted)", ()
        return True


def _redact(record: logging.LogRecord, secret: str) -> None:
    message = record.getMessage()
    if secret in message:
        record.msg, record.args = message.replace(secret, REDACTED), ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text and secret in record.exc_text:
        record.exc_text = record.exc_text.replace(secret, REDACTED)


class WithholdFrames(logging.Filter):
    """websockets' frame lines ("> %s" / "< %s" with a Frame) keep the opcode and length only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg in ("> %s", "< %s") and isinstance(record.args, tuple) and record.args:
            frame = record.args[0]
            opcode, data = getattr(frame, "opcode", None), getattr(frame, "data", None)
            if opcode is not None and isinstance(data, bytes | bytearray | memoryview):
                name = getattr(opcode, "name", str(opcode))
                record.args = (f"{name} [{len(data)} bytes, contents withheld]",)
        return True
