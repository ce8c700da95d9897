"""The Gemini key never leaves the server: not in a page, a header, a static file, a JSON
reply, a WebSocket frame (text or audio) or a log line, during a whole conversation: pages,
the spoken loop with a correction, typed text, the typed fallback, a word looked up, an
upstream failure, the review afterwards, and a card from it answered aloud on the drill page
with its model answer.
Every logger runs at DEBUG, so a library that logs request headers is caught too.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from channels.db import database_sync_to_async
from django.contrib.staticfiles import finders
from django.db import connections
from django.test import AsyncClient, override_settings
from django.urls import reverse

from accounts.models import User
from lessons.models import Conversation, Phrase
from tests.tutor.conftest import Client, final, kind, spanish_48k
from tutor.audio.clip import to_wav
from tutor.conversation.registry import REGISTRY
from tutor.emulator import Emulator, Fault
from tutor.emulator.voice import synthesize
from tutor.live import upstream

KEY = "AIzaTESTKEY-tertulia-0123456789abcdef"


def disguises(secret: str) -> set[bytes]:
    """The key as bytes, URL-encoded, and base64 (standard and URL-safe) at each of the three
    alignments it can have inside a longer base64 text."""
    raw = secret.encode()
    found = {raw, quote(secret, safe="").encode(), quote_plus(secret).encode()}
    for pad in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * pad + raw)
            # Drop the characters that also depend on the bytes around the key.
            found.add(text[(pad * 4 + 2) // 3 + 1 : -4])
    return found


class Evidence:
    """Everything the outside world could see."""

    def __init__(self) -> None:
        self.blobs: list[tuple[str, bytes]] = []

    def response(self, where: str, response: Any) -> None:
        headers = "\n".join(f"{k}: {v}" for k, v in response.items())
        body = b"".join(response.streaming_content) if response.streaming else response.content
        self.blobs.append((where, headers.encode() + b"\n\n" + body))

    def client(self, where: str, client: Client) -> None:
        for event in client.events:
            self.blobs.append((f"{where} event", repr(event).encode()))
        self.blobs.append((f"{where} audio", bytes(client.audio)))

    def logs(self, records: list[logging.LogRecord]) -> None:
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        for record in records:
            self.blobs.append((f"log {record.name}", formatter.format(record).encode()))

    def leaks(self) -> list[str]:
        needles = disguises(KEY)
        return [where for where, blob in self.blobs if any(n in blob for n in needles)]


@pytest.fixture
def all_loggers_at_debug(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    names = ["", *logging.root.manager.loggerDict]
    for name in names:
        caplog.set_level(logging.DEBUG, logger=name)
    yield


@pytest.fixture
def real_key(emulator: Emulator) -> Iterator[None]:
    """Production mode against the emulator: a real-looking key, no demo tutor."""
    with override_settings(GEMINI_API_KEY=KEY, DEMO_TUTOR=False):
        upstream.client.cache_clear()
        yield
    upstream.client.cache_clear()


def _static_paths() -> list[str]:
    paths = []
    for finder in finders.get_finders():
        for path, _storage in finder.list(ignore_patterns=["*.map"]):
            paths.append(Path(path).as_posix())
    return sorted(set(paths))


async def _pages(http: AsyncClient, evidence: Evidence, conversation: Conversation) -> None:
    names = ["landing", "account_login", "account_signup", "lessons:home", "accounts:profile"]
    for name in [*names, "learn:history", "learn:deck", "learn:progress", "learn:export_json"]:
        evidence.response(name, await http.get(reverse(name)))
    evidence.response("page", await http.get(conversation.get_absolute_url()))
    for path in _static_paths():
        evidence.response(path, await http.get(f"/static/{path}"))


async def _talk(conversation: Conversation, alice: User, evidence: Evidence) -> None:
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await client.start()
    await client.until(final("tutor"))
    await client.speak(spanish_48k())
    await client.until(kind("correction"))
    await client.send(type="text", text="Quiero un café con leche")
    await client.until(lambda e: final("tutor")(e) and e["turn"] >= 3)
    await client.send(type="end")
    await client.closed()
    evidence.client("conversation", client)


async def _fail(conversation: Conversation, alice: User, evidence: Evidence, emu: Emulator) -> None:
    """An upstream that refuses the key (403): the error reaches the page, the key does not."""
    emu.inject(*[Fault(kind="reject", status=403) for _ in range(6)])
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await client.start()
    await client.closed(within=30)
    evidence.client("failure", client)


async def _drill(http: AsyncClient, alice: User, evidence: Evidence) -> None:
    """A card the conversation made, answered aloud; its model answer, spoken by TTS."""
    card = await database_sync_to_async(Phrase.objects.filter(learner=alice).first)()
    assert card is not None
    evidence.response("deck with a card", await http.get(reverse("learn:deck")))
    wav = to_wav(synthesize(card.text, "es", 16000), 16000)
    url = reverse("tutor:drill_spoken", args=[card.pk])
    answer = await http.post(url, wav, content_type="audio/wav")
    assert answer.status_code == 200
    evidence.response("spoken answer", answer)
    audio = await http.get(reverse("tutor:drill_audio", args=[card.pk]))
    assert audio.status_code == 200
    evidence.response("model answer", audio)


@database_sync_to_async
def _start(alice: User) -> Conversation:
    return Conversation.objects.create(learner=alice, language="es", level="A2")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("real_key", "all_loggers_at_debug")
async def test_the_key_appears_in_no_response_frame_or_log_line(
    emulator: Emulator, alice: User, caplog: pytest.LogCaptureFixture
) -> None:
    evidence = Evidence()
    http = AsyncClient()
    await http.aforce_login(alice)
    spoken, typed, failing = await _start(alice), await _start(alice), await _start(alice)
    try:
        await _pages(http, evidence, spoken)
        await _talk(spoken, alice, evidence)
        reply = await http.post(
            reverse("tutor:message", args=[typed.pk]),
            {"text": "Yo soy cansado"},
            content_type="application/json",
        )
        assert reply.status_code == 200
        evidence.response("typed fallback", reply)
        looked = await http.post(
            reverse("tutor:word_lookup", args=[typed.pk]),
            {"word": "cansado", "sentence": "Yo soy cansado", "turn": 0},
            content_type="application/json",
        )
        assert looked.status_code == 200
        evidence.response("word lookup", looked)
        hint = await http.post(reverse("tutor:hints", args=[typed.pk]))
        assert hint.status_code == 200
        evidence.response("what could I say", hint)
        evidence.response(
            "review", await http.get(reverse("learn:conversation_review", args=[spoken.pk]))
        )
        await _drill(http, alice, evidence)
        await _fail(failing, alice, evidence, emulator)
    finally:
        for runtime in list(REGISTRY.values()):
            await runtime.finish("test_teardown")
        await database_sync_to_async(connections.close_all)()
    evidence.logs(caplog.records)
    assert emulator.sessions[0].key_present  # the key was really used upstream
    assert len(evidence.blobs) > 30
    assert evidence.leaks() == []


def test_the_disguises_find_the_key_inside_longer_text() -> None:
    """The detector itself: each disguise is found where the key hides in a longer blob."""
    blob = b"prefix " + base64.b64encode(b"xy" + KEY.encode() + b"tail") + b" suffix"
    assert any(n in blob for n in disguises(KEY))
    assert any(n in quote(f"a={KEY}&b=1").encode() for n in disguises(KEY))
    assert not any(n in b"AIzaSOMETHING-else" for n in disguises(KEY))
