"""An optional log of when each audio chunk reached the emulator, for bench/relay.py.

Off unless TERTULIA_EMULATOR_ARRIVALS names a file. Then each Live session writes one line
`<session> s <sha1 of the system instruction>` at setup (so a benchmark can tell its
conversations apart) and one line `<session> a <bytes> <time.monotonic()>` per realtime
audio chunk. CLOCK_MONOTONIC is system-wide on Linux, so a client in another process on the
same machine can subtract its own send times. Lines are buffered and flushed when a session
ends; the cost per chunk is one formatted write.
"""

from __future__ import annotations

import hashlib
import os
import time
from typing import IO

_ENV = "TERTULIA_EMULATOR_ARRIVALS"
_file: IO[str] | None = None


def _out() -> IO[str] | None:
    global _file  # one file per emulator process, opened on first use
    path = os.environ.get(_ENV)
    if _file is None and path:
        _file = open(path, "a", buffering=1 << 16)  # noqa: SIM115 (lives as long as the process)
    return _file


def setup(session: object, instruction: str) -> None:
    if (out := _out()) is not None:
        digest = hashlib.sha1(instruction.encode()).hexdigest()  # noqa: S324 (a label, not security)
        out.write(f"{id(session)} s {digest}\n")


def audio(session: object, size: int) -> None:
    if (out := _out()) is not None:
        out.write(f"{id(session)} a {size} {time.monotonic():.6f}\n")


def flush() -> None:
    if _file is not None:
        _file.flush()
