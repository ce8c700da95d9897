from __future__ import annotations

import logging

import pytest
from django.test import override_settings

from tutor.logsafety import REDACTED, RedactSecrets

KEY = "AIzaTESTKEY-tertulia-0123456789abcdef"


def _record(msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("websockets.client", logging.DEBUG, __file__, 1, msg, args, info)


@override_settings(GEMINI_API_KEY=KEY)
def test_it_redacts_the_key_from_message_arguments() -> None:
    record = _record("> %s: %s", "x-goog-api-key", KEY)
    assert RedactSecrets().filter(record) is True  # redacted, never dropped
    assert record.getMessage() == f"> x-goog-api-key: {REDACTED}"


@override_settings(GEMINI_API_KEY=KEY)
def test_it_redacts_the_key_from_a_traceback() -> None:
    try:
        raise ValueError(f"bad request ?key={KEY}")
    except ValueError as exc:
        record = _record("request failed", exc=exc)
    RedactSecrets().filter(record)
    text = logging.Formatter().format(record)
    assert KEY not in text and "ValueError: bad request ?key=[redacted]" in text


@override_settings(GEMINI_API_KEY=KEY)
def test_a_record_it_cannot_format_is_withheld_rather_than_raised() -> None:
    record = _record("%s and %s", "only one argument")
    RedactSecrets().filter(record)
    assert record.getMessage() == "(log record withheld: it could not be redacted)"


@override_settings(GEMINI_API_KEY="")
def test_without_a_key_records_pass_untouched() -> None:
    record = _record("> %s: %s", "host", "example.org")
    RedactSecrets().filter(record)
    assert (record.msg, record.args) == ("> %s: %s", ("host", "example.org"))


@pytest.mark.parametrize("name", ["websockets.client", "root"])
def test_settings_install_the_filter_where_the_key_is_logged(name: str) -> None:
    if name == "root":
        filters = [f for h in logging.getLogger().handlers for f in h.filters]
    else:
        filters = logging.getLogger(name).filters
    assert any(isinstance(f, RedactSecrets) for f in filters)
