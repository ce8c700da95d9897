"""A protocol-faithful local Gemini Live server for tests and the offline demo.

See docs/gemini-live.md (§0, §9) for the behaviour it reproduces and `server.Emulator` for use.
"""

from __future__ import annotations

from tutor.emulator.records import Fault, SessionRecord
from tutor.emulator.server import Emulator

__all__ = ["Emulator", "Fault", "SessionRecord"]
