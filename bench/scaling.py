"""How many conversations 1, 2, … Daphne workers hold behind nginx, and how close a second
worker comes to doubling it. Run through bench/relay.py:

    .venv/bin/python bench/relay.py --workers 1,2 [--levels 25,50,75,100,125,150] [--seconds 20]

For each worker count W, W Daphne processes each on its own port behind nginx (round robin,
tests/nginx.py), sharing a Redis (channel layer and conversation leases), the emulator and a
scratch database (bench/stack.py). N simulated learners stream real speech in real time
(bench/loadgen.py), N rising through `--levels` until a level misses the goal. A level is
*held* when p99 < 20 ms of added latency, no frame is lost and every conversation started.
It prints relay.py's row for each level, then, per W: the most conversations held and the
servers' CPU seconds per conversation-minute there, and the scaling efficiency
held(W) / (W x held(1)) (goal >= 0.9). The load generator, the emulator and nginx share the
machine's cores with the workers, as the printed machine load shows.
"""

from __future__ import annotations

import argparse

from bench import relay, stack

GOAL_P99_MS = 20.0
GOAL_EFFICIENCY = 0.9


def held(run: relay.Run) -> bool:
    return run.pct(99) < GOAL_P99_MS and run.matched.missing == 0 and not run.failed


def ramp(workers: int, levels: list[int], args: argparse.Namespace) -> list[relay.Run]:
    """Levels in order on `workers` workers behind nginx, up to the first one not held."""
    runs: list[relay.Run] = []
    with stack.running(workers=workers, name=f"scale{workers}", proxy=True) as running:
        args.arrivals = running.arrivals
        args.emulator_url = running.emulator_env["GOOGLE_GEMINI_BASE_URL"]
        args.ca_file = running.emulator_env["SSL_CERT_FILE"]
        for n in levels:
            run = relay.tertulia(running, n, args)
            runs.append(run)
            print(relay.row(run), flush=True)
            if not held(run):
                break
    return runs


def report(by_workers: dict[int, list[relay.Run]]) -> None:
    best = {
        w: max((r for r in runs if held(r)), key=lambda r: r.n, default=None)
        for w, runs in by_workers.items()
    }
    # A count whose every level was held only says "at least": its limit lies higher.
    capped = {w for w, runs in by_workers.items() if runs and held(runs[-1])}
    print(f"\nConversations held at p99 < {GOAL_P99_MS:.0f} ms, no loss (through nginx):")
    for workers, run in best.items():
        if run is None:
            print(f"  {workers} worker(s): none of the levels")
            continue
        print(
            f"  {workers} worker(s): {'>=' if workers in capped else '  '}{run.n:4} "
            f"conversations, p99 {run.pct(99):5.1f} ms, "
            f"CPU {run.cpu_per_minute:.3f} s per conversation-minute"
        )
    one = best.get(1)
    for workers, run in best.items():
        if workers == 1 or one is None or run is None:
            continue
        efficiency = run.n / (workers * one.n)
        verdict = "meets" if efficiency >= GOAL_EFFICIENCY else "misses"
        if capped & {1, workers}:
            verdict = "not conclusive: a limit lies above the levels tested, add higher ones"
        print(
            f"  scaling efficiency at {workers} workers: {efficiency:.2f} of linear "
            f"({verdict}; goal {GOAL_EFFICIENCY})"
        )


def main(args: argparse.Namespace, worker_counts: list[int], levels: list[int]) -> None:
    print(relay.HEADER, flush=True)
    by_workers = {w: ramp(w, levels, args) for w in worker_counts}
    report(by_workers)
