"""What bench/relay.py prints: one row per run, and the Tertulia/bare ratios against the goals."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bench.loadgen import Matched

GOAL_P99_MS = {1: 20.0, 2: 30.0}  # by worker count
GOAL_CPU_RATIO = 2.0


@dataclass
class Run:
    system: str
    n: int
    workers: int
    matched: Matched
    cpu_per_minute: float
    machine_cpu: float  # percent of all cores during the window
    rest_per_minute: float  # the emulator's and the load generator's CPU, for context
    lag_p99_ms: float
    failed: int

    def pct(self, q: float) -> float:
        lat = self.matched.latencies_ms
        return float(np.percentile(lat, q)) if lat else float("nan")


def row(run: Run) -> str:
    m = run.matched
    return (
        f"{run.system:9} {run.n:4} {run.workers:3} {run.pct(50):7.1f} {run.pct(99):7.1f} "
        f"{max(m.latencies_ms, default=float('nan')):7.1f} {m.frames:7} {m.missing:5} "
        f"{run.cpu_per_minute:8.3f} {run.rest_per_minute:6.3f} {run.machine_cpu:6.0f}% "
        f"{run.lag_p99_ms:6.1f} {run.failed:4}"
    )


HEADER = (
    f"{'system':9} {'N':>4} {'wkr':>3} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} "
    f"{'frames':>7} {'lost':>5} {'CPU s/cm':>8} {'rest':>6} {'machine':>7} {'lag99':>6} "
    f"{'fail':>4}"
)


def ratios(runs: list[Run]) -> None:
    bare_runs = {r.n: r for r in runs if r.system == "bare"}
    print("\nTertulia / bare at the same N (lower is better; goals: p99 < 20 ms on one worker,")
    print("< 30 ms at 200 on two, no lost frames, CPU per conversation-minute <= 2x bare):")
    for run in runs:
        base = bare_runs.get(run.n)
        if run.system == "bare" or base is None:
            continue
        cpu = run.cpu_per_minute / base.cpu_per_minute
        goal = GOAL_P99_MS[min(run.workers, 2)]
        ok = run.pct(99) < goal and run.matched.missing == 0 and not run.failed
        print(
            f"  N={run.n:3} on {run.workers} worker{'s' if run.workers > 1 else ' '}: "
            f"p50 {run.pct(50) / base.pct(50):5.2f}x  p99 {run.pct(99) / base.pct(99):5.2f}x  "
            f"CPU {cpu:5.2f}x  | p99 {run.pct(99):6.1f} ms "
            f"{'meets' if ok else 'misses'} the {goal:.0f} ms / no-loss goal; "
            f"CPU {'within' if cpu <= GOAL_CPU_RATIO else 'over'} {GOAL_CPU_RATIO:.0f}x"
        )
