"""The emulator: one TLS port serving the Live WebSocket, the text fallback and a control API.

    async with Emulator(pace=0) as emu:
        emu.inject(Fault("goaway", after_turns=1))
        client = genai.Client(api_key="k", http_options=HttpOptions(base_url=emu.base_url, ...))

Control endpoints (for an emulator in another process): POST /_emulator/faults with a JSON
Fault queues it; GET /_emulator/sessions lists the SessionRecords; GET /_emulator/health.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import re
import shutil
import tempfile
import time
from pathlib import Path
from types import TracebackType

from aiohttp import web

from tutor.emulator import text
from tutor.emulator.behaviour import Behaviour
from tutor.emulator.certs import ensure_certs, server_context
from tutor.emulator.dialogue import DialogueState
from tutor.emulator.records import Fault, SessionRecord
from tutor.emulator.session import LiveSession

log = logging.getLogger(__name__)

# The SDK produces "//ws/..." when the base URL ends in "/" (docs/gemini-live.md §1.2).
LIVE_PATH = re.compile(
    r"^/+ws/google\.ai\.generativelanguage\.(v1|v1beta|v1alpha)\.GenerativeService\."
    r"BidiGenerateContent(?:Constrained)?$"
)
REST_PATH = re.compile(
    r"^/+(v1|v1beta|v1alpha)/models/([^/:]+):(generateContent|streamGenerateContent)$"
)
SHUTDOWN = "The emulator is shutting down."
CONTROL_PATH = re.compile(r"^/+_emulator/(faults|sessions|health)$")


class Emulator:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        workdir: Path | None = None,
        pace: float = 1.0,
        silence_ms: int = 600,
        behaviour: Behaviour | None = None,
    ) -> None:
        self.host, self.port, self.pace, self.silence_ms = host, port, pace, silence_ms
        self.behaviour = behaviour or Behaviour()
        self._workdir = workdir
        self._tempdir: str | None = None  # made in start() when no workdir is given
        self.sessions: list[SessionRecord] = []
        self.text_requests = 0  # generateContent requests served (tests count model calls)
        self.handles: dict[str, DialogueState] = {}
        self._faults: collections.deque[Fault] = collections.deque()
        self._refusals: collections.deque[Fault] = collections.deque()  # for generateContent
        self._open: set[LiveSession] = set()
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.ca_file = ""

    def inject(self, *faults: Fault) -> None:
        """Queue faults; each new connection takes the oldest one (one per connection), each
        generateContent request the oldest `refuse` one."""
        for fault in faults:
            (self._refusals if fault.kind == "refuse" else self._faults).append(fault)

    async def start(self) -> None:
        if self._workdir is None:
            self._tempdir = tempfile.mkdtemp(prefix="gemini-emulator-")
        files = ensure_certs(self._workdir or Path(self._tempdir or "."))
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        # No access log: request lines can carry ?key=… and keys must never be logged.
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=2)
        await self._runner.setup()
        context = server_context(files)
        site = web.TCPSite(self._runner, self.host, self.port, ssl_context=context)
        await site.start()
        self.port = self._runner.addresses[0][1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.base_url = f"https://{host}:{self.port}"
        self.ca_file = str(files.ca_file)
        log.info("Gemini Live emulator on %s", self.base_url)

    async def stop(self) -> None:
        # Close live sockets first: aiohttp would otherwise wait for their handlers to end.
        await asyncio.gather(*(s.close(1001, SHUTDOWN) for s in list(self._open)))
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._tempdir:
            shutil.rmtree(self._tempdir, ignore_errors=True)
            self._tempdir = None

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if request.method == "GET" and (match := LIVE_PATH.match(path)):
            return await self._live(request, match.group(1))
        if request.method == "POST" and (match := REST_PATH.match(path)):
            version, model, method = match.groups()
            stream = method == "streamGenerateContent"
            self.text_requests += 1
            if self._refusals:
                return text.refusal(self._refusals.popleft().status)
            key = api_key(request)
            return await text.generate_content(request, key, version, model, stream, self.behaviour)
        if match := CONTROL_PATH.match(path):
            return await self._control(request, match.group(1))
        return text.error(404, "NOT_FOUND", "Not found.")

    async def _live(self, request: web.Request, version: str) -> web.StreamResponse:
        fault = self._faults.popleft() if self._faults else None
        key = api_key(request)
        record = SessionRecord(path=request.path, api_version=version)
        record.opened_at = record.session_started = time.monotonic()
        record.fault = fault.kind if fault else None
        record.set_key(key)
        self.sessions.append(record)
        if fault and fault.kind == "reject":
            return text.error(fault.status, "PERMISSION_DENIED", "Rejected by an injected fault.")
        # max_msg_size=0: inbound frames of any size; timeout: wait for the close reply.
        # autoping off (unless orderly): LiveSession answers pings late, as Google does.
        autoping = self.behaviour.orderly
        ws = web.WebSocketResponse(max_msg_size=0, compress=True, autoping=autoping, timeout=5)
        if not ws.can_prepare(request).ok:
            return text.error(400, "INVALID_ARGUMENT", "Expected a WebSocket upgrade.")
        await ws.prepare(request)
        session = LiveSession(ws, request, record, fault, self, key)
        self._open.add(session)
        try:
            await session.run()
        finally:
            self._open.discard(session)
        return ws

    async def _control(self, request: web.Request, name: str) -> web.Response:
        if name == "health" and request.method == "GET":
            return web.json_response({"ok": True})
        if name == "sessions" and request.method == "GET":
            return web.json_response([record.to_json() for record in self.sessions])
        if name == "faults" and request.method == "POST":
            try:
                fault = Fault.from_json(await request.json())
            except (ValueError, TypeError) as exc:
                return text.error(400, "INVALID_ARGUMENT", str(exc))
            self.inject(fault)
            return web.json_response({"queued": len(self._faults)}, status=201)
        return text.error(405, "METHOD_NOT_ALLOWED", "Method not allowed.")


def api_key(request: web.Request) -> str | None:
    """The credential from x-goog-api-key, ?key=, ?access_token= or Authorization: Token."""
    if key := request.headers.get("x-goog-api-key"):
        return key
    if key := request.query.get("key") or request.query.get("access_token"):
        return key
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() or None if scheme in ("Token", "Bearer") else None
