"""Real parts for the multi-process tests: nginx (tests/nginx.py) in front of two Daphne
processes (tests/servers.py) sharing PostgreSQL (the pytest test database) and Redis (the
channel layer and the leases), the Live emulator in this process (its session records are
read directly), and a page's socket with the benchmarks' simulated microphone
(bench/learner.py)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.test import Client as HttpClient
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from accounts.models import User
from bench.learner import Mic, open_socket, speech
from lessons.models import Conversation, Turn
from lessons.services import conversations as services
from tests.nginx import Proxy, nginx
from tests.servers import Server, adaphne, server_env
from tests.subprocess_db import database_url
from tests.tutor.conversation.talk import GREETING_MARK
from tutor.emulator import Emulator
from tutor.emulator.records import SessionRecord

LEASE_SECONDS = 2  # a dead owner's conversations move after this (tests keep it short)


@dataclass
class Cluster:
    proxy: Proxy
    workers: list[Server]
    emulator: Emulator

    def address(self, worker: int) -> str:
        """How nginx's X-Upstream names the worker."""
        return f"127.0.0.1:{self.workers[worker].port}"

    def timings(self) -> list[str]:
        """What the workers logged about hand-overs ("handed over in", "taken over in")."""
        lines = [line for w in self.workers for line in w.log_tail(10**6).splitlines()]
        return [line for line in lines if " over in " in line]

    def logs(self) -> str:
        return "\n".join(f"--- worker {i}:\n{w.log_tail()}" for i, w in enumerate(self.workers))


@contextlib.asynccontextmanager
async def cluster(
    tmp_path: Path, redis_url: str, *, pace: float = 0.0, env: Mapping[str, str] | None = None
) -> AsyncIterator[Cluster]:
    """The emulator, two Daphne workers and nginx; everything stopped on the way out. On a
    failure the workers' logs are added to the error."""
    async with Emulator(pace=pace, silence_ms=300) as emulator:
        extra = {
            "TERTULIA_TESTING": "1",
            "REDIS_URL": redis_url,
            "CONVERSATION_LEASE_SECONDS": str(LEASE_SECONDS),
            # The microphone below streams faster than real time.
            "MAX_INBOUND_BYTES_PER_SECOND": "10000000",
            "MAX_INBOUND_FRAMES_PER_SECOND": "2000",
            **(env or {}),
        }
        emulator_env = {
            "GOOGLE_GEMINI_BASE_URL": emulator.base_url,
            "SSL_CERT_FILE": emulator.ca_file,
        }
        environment = server_env(database_url=database_url(), emulator=emulator_env, extra=extra)
        async with (
            adaphne(environment, log=tmp_path / "worker0.log") as first,
            adaphne(environment, log=tmp_path / "worker1.log") as second,
        ):
            ports = [first.port, second.port]
            with nginx(ports, workdir=tmp_path / "nginx") as proxy:
                running = Cluster(proxy, [first, second], emulator)
                try:
                    yield running
                except Exception as exc:
                    raise AssertionError(f"{exc!r}\n{running.logs()}") from exc


@pytest.fixture(autouse=True)
async def _close_connections() -> AsyncIterator[None]:
    """The connection of channels' database thread, so the test database can be dropped."""
    yield
    await database_sync_to_async(connections.close_all)()


@database_sync_to_async
def conversation_for(learner: User) -> tuple[Conversation, str]:
    """A new conversation and a signed-in session cookie for its learner."""
    conversation = services.conversation_start(learner=learner)
    client = HttpClient()
    client.force_login(learner)
    return conversation, f"sessionid={client.cookies['sessionid'].value}"


@database_sync_to_async
def stored(conversation: Conversation) -> tuple[Conversation, list[tuple[int, str, str, bool]]]:
    fresh = Conversation.objects.get(pk=conversation.pk)
    turns = Turn.objects.filter(conversation=conversation).order_by("ordinal")
    return fresh, list(turns.values_list("ordinal", "speaker", "text", "interrupted"))


class Page:
    """The conversation page's socket, through nginx: it opens (on a chosen worker, or where
    nginx sends it), speaks through a simulated microphone, types, and reads events."""

    def __init__(self, proxy: Proxy, conversation: Conversation, cookie: str) -> None:
        self.proxy, self.conversation_id, self.cookie = proxy, str(conversation.pk), cookie
        self.ws: ClientConnection | None = None
        self.served_by = ""  # nginx's X-Upstream: the worker(s) it tried, the last one served
        self.events: list[dict[str, Any]] = []
        self.mic = Mic(seed=1)

    async def open(self, worker: int | None = None) -> dict[str, Any]:
        """A new socket and `start`; returns the `ready` event."""
        headers = self.proxy.pinned(worker) if worker is not None else {}
        self.ws = await open_socket(self.proxy.url, self.conversation_id, self.cookie, headers)
        assert self.ws.response is not None
        self.served_by = self.ws.response.headers.get("X-Upstream", "")
        self.events = []
        await self.ws.send(json.dumps({"type": "start", "sampleRate": 48000, "format": "s16"}))
        return await self.until(lambda e: e["type"] == "ready")

    async def say(self, sentence: str) -> None:
        """The sentence, then a second of room noise (the VAD ends the turn), sent four
        times faster than real time: the emulator counts audio time, not wall time."""
        assert self.ws is not None
        self.mic.say(speech(sentence))
        noise = 0
        while noise < 50:
            noise += 0 if self.mic.talking else 1
            await self.ws.send(self.mic.frame())
            await asyncio.sleep(0.005)

    async def type(self, text: str) -> None:
        assert self.ws is not None
        await self.ws.send(json.dumps({"type": "text", "text": text}))

    async def end(self) -> int | None:
        assert self.ws is not None
        await self.ws.send(json.dumps({"type": "end"}))
        return await self.closed()

    async def until(
        self, match: Callable[[dict[str, Any]], bool], within: float = 60, *, new: bool = False
    ) -> dict:
        """Read until an event on this socket matches: one seen already, unless `new`."""
        for event in [] if new else self.events:
            if match(event):
                return event
        assert self.ws is not None
        async with asyncio.timeout(within):
            while True:
                try:
                    frame = await self.ws.recv()
                except ConnectionClosed as exc:
                    kinds = [e["type"] for e in self.events]
                    raise AssertionError(f"closed with {exc.rcvd}; saw {kinds}") from exc
                if isinstance(frame, str):
                    self.events.append(event := json.loads(frame))
                    if match(event):
                        return event

    async def closed(self, within: float = 60) -> int | None:
        """Read until the server closes; its close code (1006: the connection just broke)."""
        assert self.ws is not None
        async with asyncio.timeout(within):
            with contextlib.suppress(ConnectionClosed):
                while True:
                    frame = await self.ws.recv()
                    if isinstance(frame, str):
                        self.events.append(json.loads(frame))
        return self.ws.close_code

    def drop(self) -> None:
        """The network goes: the TCP connection is reset, no close frame."""
        assert self.ws is not None
        self.ws.transport.abort()


def final(speaker: str, after: int = -1) -> Callable[[dict[str, Any]], bool]:
    """A final transcript line of `speaker` with an ordinal above `after`."""
    return lambda e: (
        e["type"] == "transcript"
        and e["final"]
        and e["speaker"] == speaker
        and e["turn"] > after
        and not e.get("amends")
    )


def partial(speaker: str) -> Callable[[dict[str, Any]], bool]:
    return lambda e: e["type"] == "transcript" and not e["final"] and e["speaker"] == speaker


async def all_stored(conversation: Conversation, sessions: list[SessionRecord]) -> None:
    """Wait until the database holds everything the emulator heard and said so far (late
    transcription pieces included): the moment between two turns a test cuts at."""
    for _ in range(600):
        _, turns = await stored(conversation)
        try:
            whole_and_unique(turns, sessions)
        except AssertionError:
            await asyncio.sleep(0.05)
        else:
            return
    whole_and_unique(turns, sessions)  # fails, saying what is missing


def one_open_at_a_time(sessions: list[SessionRecord]) -> None:
    """The emulator never held two Live sessions of the conversation at once."""
    spans = sorted((r.opened_at or 0.0, r.closed_at or float("inf")) for r in sessions)
    for (_, closed), (opened, _) in pairwise(spans):
        assert opened >= closed, "two Live sessions of one conversation open at once"


def whole_and_unique(turns: list[tuple[int, str, str, bool]], sessions: list[SessionRecord]):
    """Every stored row in order, none twice; every line the emulator heard and every reply it
    finished speaking stored exactly once, in order; one greeting."""
    assert [t[0] for t in turns] == list(range(len(turns))), "gaps in the ordinals"
    norm = " ".join
    heard = [norm(line.split()) for record in sessions for line in record.learner_turns]
    spoken = [norm(line.split()) for record in sessions for line in record.tutor_turns]
    learner = [norm(text.split()) for _, speaker, text, _ in turns if speaker == "learner"]
    whole_replies = [norm(t.split()) for _, s, t, cut in turns if s == "tutor" and not cut]
    assert learner == heard, "learner lines lost, split or duplicated"
    assert whole_replies == spoken, "tutor replies lost or duplicated"
    assert sum(GREETING_MARK in text for _, _, text, _ in turns) == 1, "greeted twice (or never)"
