"""LOG_FORMAT=json (tutor/logformat.py): one JSON object per line, naming the conversation,
never the key or what the learner said, even with every logger at DEBUG."""

from __future__ import annotations

import contextvars
import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from channels.db import database_sync_to_async
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse
from websockets.frames import Frame, Opcode

from accounts.models import User
from lessons.models import Conversation
from tests.tutor.conftest import Client, final, kind, spanish_48k
from tutor.emulator import Emulator, Fault
from tutor.live import upstream
from tutor.logformat import CONVERSATION, JsonFormatter, bind_conversation
from tutor.logsafety import RedactSecrets, WithholdFrames

ROOT = Path(__file__).resolve().parents[2]
KEY = "AIzaTESTKEY-tertulia-logformat-0123456789"
TYPED = "Quiero un café con leche"


def _record(msg: str, *args: object, name: str = "tutor.test") -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)


def test_a_line_is_one_json_object_with_the_bound_conversation() -> None:
    def in_a_conversation() -> str:
        bind_conversation("7d1c4c8e-0000-4000-8000-000000000001")
        return JsonFormatter().format(_record("turn %d stored", 3))

    line = contextvars.Context().run(in_a_conversation)
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["message"] == "turn 3 stored"
    assert entry["level"] == "INFO" and entry["logger"] == "tutor.test"
    assert entry["conversation"] == "7d1c4c8e-0000-4000-8000-000000000001"
    assert entry["time"].endswith("+00:00") and entry["pid"] == os.getpid()


def test_outside_a_conversation_there_is_no_conversation_field() -> None:
    line = contextvars.Context().run(JsonFormatter().format, _record("start-up"))
    assert "conversation" not in json.loads(line)


def test_a_traceback_stays_inside_its_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = JsonFormatter().format(record)
    assert line.count("\n") == 0
    assert "ValueError: boom" in json.loads(line)["exception"]


def test_websocket_frames_keep_their_kind_and_size_but_not_their_words() -> None:
    frame = Frame(Opcode.TEXT, json.dumps({"realtimeInput": {"text": TYPED}}).encode())
    record = _record("> %s", frame, name="websockets.client")
    assert WithholdFrames().filter(record) is True
    message = record.getMessage()
    assert TYPED not in message and "café" not in message
    assert message.startswith("> TEXT [") and "contents withheld" in message
    other = _record("> %s: %s", "Host", "example.org", name="websockets.client")
    WithholdFrames().filter(other)
    assert other.getMessage() == "> Host: example.org"


def _django(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our interpreter, fixed arguments)
        [sys.executable, "-c", f"import django, logging; django.setup(); {code}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tutor.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_setting_switches_the_console_to_json() -> None:
    result = _django(
        'logging.getLogger("tutor.x").warning("hello %s", "operator")', LOG_FORMAT="json"
    )
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert (entry["message"], entry["level"], entry["logger"]) == (
        "hello operator",
        "WARNING",
        "tutor.x",
    )


def test_an_unknown_log_format_stops_the_process() -> None:
    result = _django("pass", LOG_FORMAT="yaml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json" in result.stderr


# -- a whole conversation at DEBUG --------------------------------------------------------


@pytest.fixture
def json_log(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """Every logger at DEBUG into a JSON handler filtered as settings.LOGGING's console is."""
    for name in ["", *logging.root.manager.loggerDict]:
        caplog.set_level(logging.DEBUG, logger=name)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactSecrets())
    logging.getLogger().addHandler(handler)
    try:
        yield stream
    finally:
        logging.getLogger().removeHandler(handler)


@pytest.fixture
def real_key(emulator: Emulator) -> Iterator[None]:
    with override_settings(GEMINI_API_KEY=KEY, DEMO_TUTOR=False):
        upstream.client.cache_clear()
        yield
    upstream.client.cache_clear()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("real_key", "no_runtime_leaks")
async def test_a_conversation_logs_json_with_its_id_and_no_key_or_learner_words(
    emulator: Emulator, alice: User, json_log: io.StringIO
) -> None:
    emulator.inject(Fault(kind="goaway", after_turns=1))  # so that the bridge logs too
    conversation = await database_sync_to_async(Conversation.objects.create)(
        learner=alice, language="es", level="A2"
    )
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await client.start()
    await client.until(final("tutor"))
    await client.speak(spanish_48k())
    await client.until(kind("correction"))
    await client.send(type="text", text=TYPED)
    await client.until(lambda e: final("tutor")(e) and e["turn"] >= 3)
    await client.send(type="end")
    await client.closed()

    entries = [json.loads(line) for line in json_log.getvalue().splitlines()]
    text = json_log.getvalue()
    heard = [line for session in emulator.sessions for line in session.learner_turns]
    assert heard and TYPED in heard  # what the learner said did reach Gemini
    assert KEY not in text
    # The opening words of each line: a logged frame is cut short and escapes accents.
    assert not [line for line in heard if line[:12] in text]
    ours = [e for e in entries if e.get("conversation") == str(conversation.pk)]
    loggers = {e["logger"] for e in ours}
    # The socket to Gemini (the SDK's websockets) and the bridge (its goAway) name it.
    assert "websockets.client" in loggers
    assert "tutor.live.server_messages" in loggers, loggers


@pytest.mark.django_db
def test_the_typed_fallback_unbinds_its_conversation_when_it_answers(alice: User) -> None:
    """asgiref copies an async view's context back into a synchronous caller: a binding left
    set named a conversation in every later line of that thread (found by the suite's order)."""
    http = HttpClient()
    http.force_login(alice)
    url = reverse("tutor:message", args=[uuid4()])
    response = http.post(url, {"text": "hola"}, content_type="application/json")
    assert response.status_code == 404
    assert CONVERSATION.get() is None
