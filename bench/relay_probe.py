"""What bench/loop_probe saw in each server during bench/relay.py's measuring windows
(`--probe DIR`): the loop callbacks over 1 ms, how much of them was waiting for a core (wall
minus CPU: another thread held the GIL, or the OS ran another process), which code they
were, and the garbage collections."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

Window = tuple[float, float]


def _rows(path: Path, windows: list[Window]) -> list[list[str]]:
    rows = [line.split("\t") for line in path.read_text().splitlines() if line]
    return [r for r in rows if any(a <= float(r[1]) <= b for a, b in windows)]


def summary(folder: Path, windows: dict[str, list[Window]]) -> None:
    for path in sorted(folder.glob("*.tsv")):
        system = "bare" if path.name.startswith("bare_relay") else "tertulia"
        spans = windows.get(system, [])
        seconds = sum(b - a for a, b in spans)
        if not seconds:
            continue
        rows = _rows(path, spans)
        slow = [(float(r[2]), float(r[3]), r[4]) for r in rows if r[0] == "cb"]
        gcs = [(float(r[2]), r[4]) for r in rows if r[0] == "gc"]
        print(f"\n{path.name} ({system}, {seconds:.0f} s in windows):")
        for floor in (1, 5, 10, 20):
            over = [s for s in slow if s[0] > floor]
            waited = sum(w - c for w, c, _ in over)
            print(
                f"  callbacks > {floor:2d} ms: {len(over) / seconds:7.2f}/s, "
                f"{sum(w for w, _, _ in over) / seconds * 1e3:6.1f} ms/s, "
                f"of which no core {waited / seconds * 1e3:6.1f} ms/s"
            )
        by: dict[str, list[float]] = defaultdict(list)
        for wall, _, label in slow:
            by[label].append(wall)
        top = sorted(by.items(), key=lambda kv: -sum(kv[1]))[:8]
        for label, walls in top:
            total = sum(walls) / seconds
            print(f"    {total:6.1f} ms/s  n={len(walls):5d}  max {max(walls):6.1f}  {label}")
        for gen in ("gen0", "gen1", "gen2"):
            took = [t for t, g in gcs if g == gen]
            if took:
                print(f"  gc {gen}: {len(took)}, max {max(took):.1f} ms, sum {sum(took):.0f} ms")
