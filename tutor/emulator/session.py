"""One Live WebSocket connection: setup, the read loop, faults and closing.

The connection's handler task reads client frames (`inbound.Inbound`); model turns run one at
a time in a conductor task (`turns.Conductor`), so a barge-in is an event the reader sets
while a turn is in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import struct
import time
from collections.abc import Coroutine
from typing import Any, Protocol

from aiohttp import WSMsgType, web

from tutor.emulator import arrivals, lifetime, wire
from tutor.emulator.behaviour import Behaviour
from tutor.emulator.dialogue import DialogueState, apply_instruction, new_state
from tutor.emulator.inbound import Inbound
from tutor.emulator.records import Fault, SessionRecord
from tutor.emulator.setup import INVALID_ARGUMENT, LiveConfig, ProtocolError, parse_setup
from tutor.emulator.turns import Conductor, SessionOver

log = logging.getLogger(__name__)

DEADLINE = lifetime.DEADLINE
GOAWAY_GRACE = 1.0  # seconds from goAway to the 1011 close, unless the fault sets `delay`
INTERNAL = "Internal error encountered."


class Hub(Protocol):
    """What a session needs from the emulator that owns it."""

    handles: dict[str, DialogueState]
    pace: float
    silence_ms: int
    behaviour: Behaviour
    sessions: list[SessionRecord]


class LiveSession:
    def __init__(
        self,
        ws: web.WebSocketResponse,
        request: web.Request,
        record: SessionRecord,
        fault: Fault | None,
        hub: Hub,
        api_key: str | None,
    ) -> None:
        self.ws, self.request, self.record, self.fault, self.hub = ws, request, record, fault, hub
        self.api_key = api_key
        # This connection's draws: reproducible from the emulator's seed and its index.
        self.rng = hub.behaviour.rng(len(hub.sessions))
        self._send_lock = asyncio.Lock()
        self._linger = 0.0  # a "vanish" fault: how long the session outlives its socket
        self._compressed = True
        self._tasks: set[asyncio.Task[None]] = set()
        self._conductor: Conductor | None = None

    async def run(self) -> None:
        try:
            await self._run()
        except ProtocolError as exc:
            await self.close(exc.code, exc.reason)
        except SessionOver:
            pass
        finally:
            arrivals.flush()
            for task in list(self._tasks):
                task.cancel()
            if self._conductor is not None:
                self._conductor.deferred.cancel()
            if self.record.close_code is None:
                self.record.close_code = self.ws.close_code or 1006
            self._closed()

    def _closed(self) -> None:
        """Record the socket's end; the session is let go then, or `_linger` s later."""
        record = self.record
        record.closed_at = time.monotonic()
        if not self._linger:
            record.released_at = record.closed_at
            return

        def release() -> None:
            record.released_at = time.monotonic()

        asyncio.get_running_loop().call_later(self._linger, release)

    async def _run(self) -> None:
        setup = await self._receive()
        if setup is None:
            return
        config = parse_setup(setup, self.api_key, self.record.api_version or "v1beta")
        arrivals.setup(self.record, config.instruction)
        state = self._initial_state(config)
        # Without compression an audio-only session is capped at 15 minutes (§5.1).
        self._compressed = "contextWindowCompression" in (setup.get("setup") or {})
        self.record.model, self.record.language = config.model, state.lang
        self.record.voice = config.voice
        self.record.band = state.band
        if self.fault and self.fault.kind == "no_setup":
            while await self._receive() is not None:
                pass  # never answer: the SDK's connect() waits for ever
            return
        if self.fault and self.fault.kind == "slow_setup":
            await asyncio.sleep(self.fault.delay)
        conductor = await self._open(config, state)
        inbound = Inbound(config, conductor, self.hub.silence_ms)
        while (message := await self._receive()) is not None:
            inbound.handle(message)

    async def _open(self, config: LiveConfig, state: DialogueState) -> Conductor:
        """Send setupComplete (always the first server frame, docs/gemini-live.md §0.8) and
        start taking turns."""
        await self.send({"setupComplete": {}})
        conductor = self._conductor = Conductor(
            self, config, state, self.hub.handles, self.hub.pace
        )
        behaviour = self.hub.behaviour
        if config.resumption and lifetime.setup_handle(self.rng, behaviour):
            await conductor.issue_handle()
        left = lifetime.seconds_left(self.record, behaviour, self._compressed)
        if left is not None:
            self.spawn(lifetime.expire(self, left, behaviour.goaway_notice))
        self.spawn(self._conduct(conductor))
        await self.between_turns(0)
        return conductor

    def _initial_state(self, config: LiveConfig) -> DialogueState:
        handle = config.resume_handle
        if handle is None:
            return new_state(config.language_code, config.instruction)
        # Unknown (1008), still held by its open connection (1011), or expired (1008).
        started = lifetime.admit_resume(handle, self.hub.sessions, self.hub.behaviour)
        self.record.resumed_from, self.record.session_started = handle, started
        state = self.hub.handles[handle].snapshot()
        # The config may change on resume (§5.1): a group's room state comes with the setup.
        apply_instruction(state, config.instruction)
        return state

    async def _receive(self) -> dict[str, Any] | None:
        """The next client frame as a normalised dict, or None once the client has gone."""
        msg = await self.ws.receive()
        while msg.type in (WSMsgType.PING, WSMsgType.PONG):  # autoping is off unless orderly
            if msg.type == WSMsgType.PING:
                self.spawn(self._pong_later(msg.data))
            msg = await self.ws.receive()
        if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
            return None
        try:
            return wire.parse_frame(msg.data)
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            raise ProtocolError(1007, INVALID_ARGUMENT) from exc

    async def _conduct(self, conductor: Conductor) -> None:
        try:
            await conductor.run()
        except Exception:
            log.exception("emulator turn failed")
            await self.close(1011, INTERNAL)

    async def _pong_later(self, payload: bytes) -> None:
        """Google's pongs take 8-30 s (§5.1): a client must not take a slow pong for death."""
        delay = lifetime.pong_delay(self.rng, self.hub.behaviour)
        self.record.pong_delays.append(delay)
        await asyncio.sleep(delay)
        with contextlib.suppress(ConnectionError, RuntimeError):
            if not self.ws.closed:
                await self.ws.pong(payload)

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # Used by the conductor (turns.Link).

    async def send(self, message: dict[str, Any]) -> None:
        if self.ws.closed:
            raise SessionOver
        async with self._send_lock:  # one frame at a time from reader, conductor and timers
            try:
                await self.ws.send_bytes(wire.encode(message))
            except (ConnectionError, RuntimeError) as exc:
                raise SessionOver from exc

    async def between_turns(self, completed: int) -> None:
        fault = self.fault
        if fault and not fault.mid_turn and fault.after_turns == completed:
            await self.fire()

    def mid_turn_due(self, completed: int) -> bool:
        fault = self.fault
        return bool(fault and fault.mid_turn and fault.after_turns == completed)

    async def fire(self) -> None:
        """Apply this connection's goaway / close / abort fault now (once)."""
        fault, self.fault = self.fault, None
        if fault is None or fault.kind not in ("goaway", "close", "abort", "vanish"):
            return
        if fault.kind == "goaway":
            grace = fault.delay or GOAWAY_GRACE
            await self.send({"goAway": {"timeLeft": f"{grace:g}s"}})
            self.spawn(self._close_later(grace, 1011, DEADLINE))
            return
        if fault.kind == "close":
            await self.close(fault.code, fault.reason)
        else:  # "vanish": the network path died; the server holds the session a while
            self._linger = fault.delay if fault.kind == "vanish" else 0.0
            self.abort()
        raise SessionOver

    async def _close_later(self, delay: float, code: int, reason: str) -> None:
        await asyncio.sleep(delay)
        await self.close(code, reason)

    async def close(self, code: int, reason: str) -> None:
        if self.ws.closed:
            return
        self.record.close_code, self.record.close_reason = code, reason
        # Close reasons are limited to 123 bytes; cut on a character boundary.
        message = reason.encode()[:123].decode(errors="ignore").encode()
        with contextlib.suppress(ConnectionError, RuntimeError):
            await self.ws.close(code=code, message=message)

    def abort(self) -> None:
        """Drop the TCP connection with a reset and no close frame: the client sees 1006."""
        self.record.close_code, self.record.close_reason = 1006, "abort"
        transport = self.request.transport
        if transport is None:
            return
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
