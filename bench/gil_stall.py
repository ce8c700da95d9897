"""How long a thread doing Python work (as the database thread does when it persists turns:
the ORM, model validation) holds up the event loop, at two GIL switch intervals in one run.

    .venv/bin/python bench/gil_stall.py [--seconds 10] [--busy 0.2]

The loop runs a 1 ms timer and records how late each tick fires; a worker thread runs pure
Python in bursts (`--busy` of the time, bursts of 1-10 ms, as the relay's database thread
does at 100 conversations: about a sixth of the process's CPU in bench/relay.py --profile).
The same run alternates CPython's default switch interval (5 ms) with 1 ms, twice, and prints
the loop's lateness p50/p99/max for each: the GIL's share of the relay's tail, without the
rest of the machine in the way.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import threading
import time

import numpy as np


def _python_work(seconds: float) -> None:
    """Pure Python for about `seconds` (holds the GIL, as ORM code does)."""
    end = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < end:
        total += sum(i * i for i in range(200))


def _worker(stop: threading.Event, busy: float) -> None:
    rng = random.Random(1)
    while not stop.is_set():
        burst = rng.uniform(0.001, 0.010)
        _python_work(burst)
        time.sleep(burst * (1 - busy) / busy)


async def _lateness(seconds: float) -> list[float]:
    late, tick = [], 0.001
    end = time.perf_counter() + seconds
    while (due := time.perf_counter() + tick) < end:
        await asyncio.sleep(tick)
        late.append((time.perf_counter() - due) * 1000)
    return late


def measure(interval: float, seconds: float, busy: float) -> list[float]:
    sys.setswitchinterval(interval)
    stop = threading.Event()
    worker = threading.Thread(target=_worker, args=(stop, busy), daemon=True)
    worker.start()
    try:
        return asyncio.run(_lateness(seconds))
    finally:
        stop.set()
        worker.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--busy", type=float, default=0.2, help="the worker's share of time")
    args = parser.parse_args()
    default = sys.getswitchinterval()
    results: dict[float, list[float]] = {default: [], 0.001: []}
    for interval in (default, 0.001, default, 0.001):
        results[interval] += measure(interval, args.seconds / 2, args.busy)
    print(f"event-loop lateness of a 1 ms timer, a thread busy {args.busy:.0%} with Python:")
    for interval, late in results.items():
        p50, p99 = np.percentile(late, [50, 99])
        print(
            f"  switch interval {interval * 1000:.0f} ms: p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
            f"max {max(late):.1f} ms ({len(late)} ticks)"
        )
    slow, fast = (np.percentile(results[i], 99) for i in (default, 0.001))
    print(f"p99 at {default * 1000:.0f} ms / at 1 ms: {slow / fast:.1f}x")


if __name__ == "__main__":
    main()
