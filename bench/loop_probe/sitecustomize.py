"""A bench-time probe of the event loop, loaded into the servers that bench/relay.py starts
(`--probe DIR` puts this folder on PYTHONPATH): every loop callback that takes over 1 ms,
with its wall and CPU time and what ran, and every garbage collection with its generation.
Each process writes DIR/<argv tag>-<pid>.tsv at exit; bench/relay_probe.py reads them.

Of a callback's wall time, its own CPU is the loop's work; CPU that other threads of the
process used meanwhile is time the loop waited for the GIL (the database thread); the rest is
the OS running other processes. Off unless TERTULIA_LOOP_PROBE names a folder; only in
Daphne and bench/bare_relay.py. For trying a remedy before it goes into tutor/asgi.py:
TERTULIA_PROBE_SWITCH sets sys.setswitchinterval (seconds), TERTULIA_PROBE_GC the collector's
thresholds ("700,10,10"), in Daphne only.
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
    _clock, _cpu, _process = time.perf_counter, time.thread_time, time.process_time

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
        wall, cpu, process = _clock(), _cpu(), _process()
        _run(self)
        took = _clock() - wall
        if took > 0.001:
            own = _cpu() - cpu
            others = _process() - process - own  # other threads of this process: the GIL
            label = _label(self).replace("\t", " ").replace("\n", " ")
            _rows.append(
                f"cb\t{time.monotonic():.4f}\t{took * 1e3:.2f}\t{own * 1e3:.2f}\t"
                f"{label}\t{others * 1e3:.2f}"
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
    if _TAG == "daphne" and os.environ.get("TERTULIA_PROBE_SWITCH"):
        sys.setswitchinterval(float(os.environ["TERTULIA_PROBE_SWITCH"]))
    if _TAG == "daphne" and os.environ.get("TERTULIA_PROBE_GC"):
        gc.set_threshold(*(int(x) for x in os.environ["TERTULIA_PROBE_GC"].split(",")))

    def _dump() -> None:
        path = os.path.join(_DIR, f"{_TAG}-{os.getpid()}.tsv")
        with open(path, "w") as out:
            out.write("\n".join(_rows) + "\n")

    atexit.register(_dump)
