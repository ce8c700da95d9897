"""A bench-time probe of the event loop, loaded into the servers that bench/relay.py starts
(`--probe DIR` puts this folder on PYTHONPATH): every loop callback that takes over 1 ms,
with its wall and CPU time and what ran, and every garbage collection with its generation.
Each process writes DIR/<argv tag>-<pid>.tsv at exit; bench/relay_probe.py reads them.

Wall time minus CPU time is time the loop's thread held no core: another thread had the
GIL, or the OS ran another process. Off unless TERTULIA_LOOP_PROBE names a folder; only in
Daphne and bench/bare_relay.py.
"""

from __future__ import annotations

import os
import sys

_DIR = os.environ.get("TERTULIA_LOOP_PROBE")
_TAGS = {"tutor.asgi": "daphne", "bare_relay": "bare_relay"}  # what argv holds -> file name
_TAG = next((tag for key, tag in _TAGS.items() if any(key in a for a in sys.argv)), None)

if _DIR and _TAG:
    import asyncio.events
    import atexit
    import gc
    import time

    _rows: list[str] = []
    _run = asyncio.events.Handle._run
    _clock, _cpu = time.perf_counter, time.thread_time

    def _label(handle: asyncio.events.Handle) -> str:
        callback = handle._callback
        task = getattr(callback, "__self__", None)
        if isinstance(task, asyncio.Task):
            coro = task.get_coro()
            frame = getattr(coro, "cr_frame", None)
            where = f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame else ""
            return f"task {getattr(coro, '__qualname__', coro)} {where}"
        return repr(callback)[:160]

    def _timed(self: asyncio.events.Handle) -> None:
        wall, cpu = _clock(), _cpu()
        _run(self)
        took = _clock() - wall
        if took > 0.001:
            _rows.append(
                f"cb\t{time.monotonic():.4f}\t{took * 1e3:.2f}\t"
                f"{(_cpu() - cpu) * 1e3:.2f}\t{_label(self)}"
            )

    asyncio.events.Handle._run = _timed  # type: ignore[method-assign]
    _gc_start = [0.0]

    def _gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            _gc_start[0] = _clock()
        elif info["generation"] or (took := (_clock() - _gc_start[0]) * 1e3) > 0.5:
            took = (_clock() - _gc_start[0]) * 1e3
            _rows.append(f"gc\t{time.monotonic():.4f}\t{took:.2f}\t\tgen{info['generation']}")

    gc.callbacks.append(_gc)

    def _dump() -> None:
        path = os.path.join(_DIR, f"{_TAG}-{os.getpid()}.tsv")
        with open(path, "w") as out:
            out.write("\n".join(_rows) + "\n")

    atexit.register(_dump)
