"""Hold a short spoken trial conversation with a running Tertulia, as a browser would, then
check that everything said is in PostgreSQL.

    python manage.py demo_conversation --url http://127.0.0.1:8000

It starts a trial over HTTP, plays a synthesized Spanish sentence (espeak-ng) at 48 kHz into
the WebSocket in real time, prints the captions and the correction it gets back, ends the
conversation, and reads the turns and corrections back from the database.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from websockets.asyncio.client import connect

from lessons.models import Conversation, Correction, Turn
from tutor.emulator.voice import synthesize

SENTENCE = "Yo soy cansado hoy porque trabajé mucho."
FRAME_MS = 20


class Command(BaseCommand):
    help = "Play a Spanish sentence into a running server and check the database afterwards."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--sentence", default=SENTENCE)

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["url"].rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise CommandError("--url must be an http:// or https:// address")
        conversation_id, cookies = start_trial(base)
        self.stdout.write(f"trial conversation {conversation_id}")
        events = asyncio.run(talk(base, conversation_id, cookies, options["sentence"], self.log))
        self.check_database(conversation_id, events)

    def log(self, line: str) -> None:
        self.stdout.write(line)

    def check_database(self, conversation_id: str, events: list[dict[str, Any]]) -> None:
        conversation = Conversation.objects.get(pk=conversation_id)
        turns = list(Turn.objects.filter(conversation=conversation).order_by("ordinal"))
        corrections = list(Correction.objects.filter(turn__conversation=conversation))
        self.stdout.write(
            f"\nIn PostgreSQL: conversation {conversation.status}, "
            f"{len(turns)} turns, {len(corrections)} corrections"
        )
        for turn in turns:
            self.stdout.write(f"  {turn.ordinal}. {turn.speaker:8} {turn.text}")
        for correction in corrections:
            self.stdout.write(f"  correction: {correction.original} → {correction.corrected}")
        speakers = [turn.speaker for turn in turns]
        if "learner" not in speakers or speakers.count("tutor") < 2 or not corrections:
            raise CommandError("the conversation was not stored completely")
        self.stdout.write(self.style.SUCCESS("OK: heard, answered, corrected and stored."))


def start_trial(base: str) -> tuple[str, CookieJar]:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/").read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise CommandError("no CSRF token on the landing page")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "language": "es"}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (scheme checked in handle())
        f"{base}/try/", data=data, headers={"Referer": f"{base}/"}
    )
    response = opener.open(request)
    found = re.search(r"/conversations/([0-9a-f-]{36})/", response.geturl())
    if not found:
        raise CommandError(f"the trial did not start (ended at {response.geturl()})")
    return found.group(1), jar


async def talk(
    base: str, conversation_id: str, jar: CookieJar, sentence: str, log: Any
) -> list[dict[str, Any]]:
    ws_url = base.replace("http", "ws", 1) + f"/ws/conversations/{conversation_id}/"
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    events: list[dict[str, Any]] = []
    async with connect(ws_url, additional_headers={"Cookie": cookie, "Origin": base}) as ws:
        await ws.send(json.dumps({"type": "start", "sampleRate": 48000, "format": "s16"}))
        await until(ws, events, log, lambda e: _final(e, "tutor"))
        speech = np.frombuffer(synthesize(sentence, "es", sample_rate=48000), np.int16)
        audio = np.concatenate([speech, np.zeros(48000, np.int16)]).tobytes()
        step = 48000 * FRAME_MS // 1000 * 2
        sender = asyncio.create_task(_stream(ws, audio, step))
        await until(ws, events, log, lambda e: e["type"] == "correction")
        await until(ws, events, log, lambda e: _final(e, "tutor") and e["turn"] > 1)
        await sender
        await ws.send(json.dumps({"type": "end"}))
        await until(ws, events, log, lambda e: e["type"] == "ended")
    return events


async def _stream(ws: Any, audio: bytes, step: int) -> None:
    """Real time, like a microphone: one 20 ms frame every 20 ms."""
    start = time.monotonic()
    for index, offset in enumerate(range(0, len(audio) - step + 1, step)):
        await ws.send(audio[offset : offset + step])
        await asyncio.sleep(max(0.0, start + (index + 1) * FRAME_MS / 1000 - time.monotonic()))


async def until(ws: Any, events: list[dict[str, Any]], log: Any, match: Any) -> None:
    async with asyncio.timeout(60):
        async for frame in ws:
            if isinstance(frame, bytes):
                continue
            event = json.loads(frame)
            events.append(event)
            if event["type"] == "transcript" and event["final"]:
                log(f"{event['speaker']:>8}: {event['text']}")
            elif event["type"] == "correction":
                log(
                    f"  correction: {event['original']} → {event['corrected']} "
                    f"({event['explanation']})"
                )
            elif event["type"] == "error":
                raise CommandError(f"server error: {event}")
            if match(event):
                return


def _final(event: dict[str, Any], speaker: str) -> bool:
    return event["type"] == "transcript" and event["final"] and event["speaker"] == speaker
