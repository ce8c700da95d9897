"""What can be injected into, and what is remembered about, each emulator connection."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

FaultKind = Literal[
    "goaway", "close", "abort", "slow_setup", "no_setup", "reject", "vanish", "refuse"
]
FAULT_KINDS = ("goaway", "close", "abort", "slow_setup", "no_setup", "reject", "vanish", "refuse")
# "refuse" is for the next generateContent request (not a Live connection): its `status` with
# the real API's status name and message for it (`tutor.emulator.text.REFUSALS`).


@dataclass
class Fault:
    """One misbehaviour for one future connection (see `Emulator.inject`)."""

    kind: FaultKind
    after_turns: int = 0  # completed model turns on this connection before it fires
    mid_turn: bool = False  # fire halfway through the next model turn's audio instead
    code: int = 1011  # for "close"
    reason: str = "Internal error encountered."
    # "slow_setup": seconds before setupComplete; "goaway": grace before close; "vanish": how
    # long the server still holds the session after the TCP connection is gone
    delay: float = 0.0
    status: int = 403  # for "reject": HTTP status on upgrade; for "refuse": the request's

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        """Build from the control endpoint's JSON; raise ValueError on anything unexpected."""
        names = {f.name for f in dataclasses.fields(cls)}
        if not isinstance(data, dict) or set(data) - names:
            raise ValueError(f"fault fields must be among {sorted(names)}")
        fault = cls(**data)
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {FAULT_KINDS}")
        for name, kind in (("after_turns", int), ("code", int), ("status", int)):
            if type(getattr(fault, name)) is not kind:
                raise ValueError(f"{name} must be an integer")
        if not isinstance(fault.delay, int | float) or not isinstance(fault.mid_turn, bool):
            raise ValueError("delay must be a number and mid_turn a boolean")
        return fault


@dataclass
class SessionRecord:
    """One WebSocket connection as the emulator saw it. Never holds the API key itself."""

    path: str
    api_version: str | None = None
    key_present: bool = False
    key_sha256: str | None = None  # first 12 hex digits, to tell keys apart in tests
    model: str | None = None
    language: str | None = None
    voice: str | None = None  # the prebuilt voice the setup asked for
    band: str | None = None
    fault: str | None = None
    resumed_from: str | None = None
    handles_issued: list[str] = field(default_factory=list)
    learner_turns: list[str] = field(default_factory=list)
    # A group session's speaker of each learner turn (the floor holder its instruction named
    # when the turn was answered; tutor/emulator/group.py), None outside a group.
    learner_speakers: list[str | None] = field(default_factory=list)
    context_updates: int = 0  # contextUpdate messages applied
    tutor_turns: list[str] = field(default_factory=list)
    interrupted_turns: int = 0
    tool_calls_sent: list[dict[str, Any]] = field(default_factory=list)
    tool_calls_answered: list[str] = field(default_factory=list)
    tool_responses: list[dict[str, Any]] = field(default_factory=list)  # id, scheduling
    # Input pieces held back for the learner's next input (late.py; 2.5 and 3.1 only).
    deferred_pieces: int = 0
    audio_bytes_in: int = 0
    audio_bytes_out: int = 0
    close_code: int | None = None
    close_reason: str | None = None
    # time.monotonic() seconds: the socket's life, when the server let the session go (later
    # than closed_at after a "vanish"), when goAway went out and when the session began (a
    # resumed connection carries its first connection's start, for the 15-minute cap).
    opened_at: float | None = None
    closed_at: float | None = None
    released_at: float | None = None
    goaway_at: float | None = None
    session_started: float | None = None
    pong_delays: list[float] = field(default_factory=list)

    def set_key(self, key: str | None) -> None:
        self.key_present = bool(key)
        self.key_sha256 = hashlib.sha256(key.encode()).hexdigest()[:12] if key else None

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
