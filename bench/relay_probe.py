"""What bench/loop_probe saw in each server during bench/relay.py's measuring windows
(`--probe DIR`): the loop callbacks over 1 ms, how much of them was waiting for a core (wall
minus CPU: another thread held the GIL, or the OS ran another process), which code they
were, and the garbage collections. Sorted by CPU: on a shared machine wall time is mostly
other processes' turn on the cores."""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

Window = tuple[float, float]


def _rows(path: Path, windows: list[Window]) -> list[list[str]]:
    rows = [line.split("\t") for line in path.read_text().splitlines() if line]
    rows = [r for r in rows if (r[0] == "cb" and len(r) == 6) or (r[0] == "gc" and len(r) == 5)]
    return [r for r in rows if any(a <= float(r[1]) <= b for a, b in windows)]


def summary(folder: Path, windows: dict[str, list[Window]]) -> None:
    (folder / "windows.json").write_text(json.dumps(windows))
    for path in sorted(folder.glob("*.tsv")):
        system = "bare" if path.name.startswith("bare_relay") else "tertulia"
        spans = windows.get(system, [])
        seconds = sum(b - a for a, b in spans)
        if not seconds:
            continue
        rows = _rows(path, spans)
        slow = [(float(r[2]), float(r[3]), r[4]) for r in rows if r[0] == "cb"]
        gil = {i: float(r[5]) for i, r in enumerate(r for r in rows if r[0] == "cb")}
        gcs = [(float(r[2]), r[4]) for r in rows if r[0] == "gc"]
        print(f"\n{path.name} ({system}, {seconds:.0f} s in windows):")
        print("  loop callbacks over a floor: per second; ms a second of wall time, of the")
        print("  loop's own CPU, other threads' CPU meanwhile (GIL), the rest (other processes)")
        for floor in (1, 5, 10, 20):
            over = [i for i, s in enumerate(slow) if s[0] > floor]
            wall = sum(slow[i][0] for i in over) / seconds
            own = sum(slow[i][1] for i in over) / seconds
            others = sum(min(gil[i], slow[i][0] - slow[i][1]) for i in over) / seconds
            print(
                f"  > {floor:2d} ms: {len(over) / seconds:7.2f}/s  wall {wall:6.1f}  own "
                f"{own:6.1f}  GIL {others:6.1f}  rest {wall - own - others:6.1f}"
            )
        by: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for wall, cpu, label in slow:
            by[label].append((wall, cpu))
        top = sorted(by.items(), key=lambda kv: -sum(c for _, c in kv[1]))[:8]
        for label, times in top:
            cpu = sum(c for _, c in times) / seconds
            most = max(c for _, c in times)
            print(f"    {cpu:6.1f} ms/s CPU  n={len(times):5d}  max CPU {most:6.1f}  {label}")
        for gen in ("gen0", "gen1", "gen2"):
            took = [t for t, g in gcs if g == gen]
            if took:
                print(f"  gc {gen}: {len(took)}, max {max(took):.1f} ms, sum {sum(took):.0f} ms")


if __name__ == "__main__":  # again, from the folder of an earlier run
    folder = Path(sys.argv[1])
    summary(folder, json.loads((folder / "windows.json").read_text()))
