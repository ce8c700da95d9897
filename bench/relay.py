"""How many real-time conversations one server process relays, and at what cost, next to a
bare resampling relay measured in the same run. From a fresh clone:

    .venv/bin/python bench/relay.py [--levels 1,50,100,150,200] [--seconds 30]
                                    [--codec pcm] [--frame-ms 20] [--no-stretch]

For each N, N simulated learners (bench/loadgen.py) stream real speech in real time
  - through Daphne + the consumer + LiveTutor (the real SDK) to the Live emulator, and
  - through bench/bare_relay.py (websockets + soxr, no Django) to the same emulator,
and it prints, over a window of `--seconds` after a warm-up:
  (a) added latency per audio frame: the client's send -> the emulator's receipt of the
      audio that frame produced (loopback hops included; soxr's block delay is not: a frame
      is timed from its own send to the upstream message it completes), p50/p99;
  (b) CPU seconds of the server processes per conversation-minute;
  (c) frames dropped or reordered on the way;
and Tertulia/bare ratios. The stretch run holds the top N on two Daphne workers sharing one
socket with a Redis channel layer. Everything runs on this machine: the load generator, the
emulator and the relays share its cores, so the machine's total load is printed too.

Columns: p50/p99/max ms of (a); frames that carried audio upstream in the window and how many
were lost (c); CPU s/cm = server CPU seconds per conversation-minute (b); rest = the same for
the emulator plus the load generator; machine = all cores busy, %; lag99 = how late the load
generator sent its frames (p99, ms: above a few ms the machine itself is saturated); fail =
conversations that never started. With --codec opus, Tertulia gets Opus bundles (two 20 ms
packets a frame, as the page sends) and the bare relay PCM frames of the same duration.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import numpy as np
import psutil
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from bench import stack  # first: it sets up Django
from bench.learner import Downlink, open_socket
from bench.loadgen import Matched, Stream, frames_of, match, pump, read_arrivals, speech_loop
from bench.relay_probe import summary as probe_summary
from bench.relay_report import HEADER, Run, ratios, row

WARMUP_S = 3.0
CONNECTS_AT_ONCE = 20


@dataclass
class Target:
    system: str
    url: str
    pids: list[int]
    workers: int = 1
    rest: tuple[int, ...] = ()  # the emulator and this process


async def _open(target: Target, learner: object, codec: str, index: int) -> Stream:
    downlink = Downlink()
    if target.system == "bare":
        label, instruction = learner  # type: ignore[misc]
        ws = await connect(target.url, compression=None, max_size=None, ping_interval=None)
        start = {"type": "start", "sampleRate": 48000, "format": "s16", "instruction": instruction}
    else:
        assert isinstance(learner, stack.Learner)
        label = learner.instruction_sha1
        ws = await open_socket(target.url, learner.conversation_id, learner.cookie)
        start = {"type": "start", "sampleRate": 48000, "format": "s16"}
        if codec == "opus":
            start = {"type": "start", "sampleRate": 48000, "codec": "opus"}
    reader = asyncio.create_task(downlink.read(ws))
    stream = Stream(ws=ws, downlink=downlink, label=label, offset=index * 977, reader=reader)
    await ws.send(json.dumps(start))
    await downlink.ready.wait()
    if target.system != "bare":
        await downlink.next_turn(within=120)  # let the greeting finish, as a learner would
    return stream


async def drive(target: Target, learners: list[object], args: argparse.Namespace) -> Run:
    codec = "pcm" if target.system == "bare" else args.codec  # the bare relay speaks PCM only
    frames = frames_of(speech_loop(), codec, args.frame_ms)
    gate = asyncio.Semaphore(CONNECTS_AT_ONCE)

    async def opened(index: int, learner: object) -> Stream:
        async with gate:
            try:
                return await _open(target, learner, args.codec, index)
            except (RuntimeError, TimeoutError, OSError) as exc:  # counted, not fatal
                print(f"  conversation {index} did not start: {exc}", flush=True)
                return Stream(ws=None, downlink=Downlink(), label="", offset=0, failed=str(exc))

    streams = await asyncio.gather(*(opened(i, x) for i, x in enumerate(learners)))
    t0 = time.monotonic() + 0.5
    window = (t0 + WARMUP_S, t0 + WARMUP_S + args.seconds)
    sending = asyncio.create_task(pump(streams, frames, args.frame_ms, t0, window[1] + 0.5))
    await asyncio.sleep(window[0] - time.monotonic())
    profilers = _profile(target, args)
    cpu0, _ = stack.cpu_seconds(target.pids), psutil.cpu_percent()
    rest0 = stack.cpu_seconds(list(target.rest))
    await asyncio.sleep(window[1] - time.monotonic())
    args.windows.setdefault(target.system, []).append(window)
    cpu1, machine = stack.cpu_seconds(target.pids), psutil.cpu_percent()
    args.rest_cpu = stack.cpu_seconds(list(target.rest)) - rest0
    await sending
    for profiler in profilers:
        profiler.wait()
    await asyncio.sleep(1.0)  # the last frames' audio reaches the emulator
    await _close(streams, target.system)
    return _summary(target, streams, frames, window, args, cpu1 - cpu0, machine)


async def _close(streams: list[Stream], system: str) -> None:
    for stream in streams:
        if stream.ws is None:
            continue
        if system != "bare" and not stream.failed:
            with contextlib.suppress(ConnectionClosed):  # already closed: nothing to end
                await stream.ws.send(json.dumps({"type": "end"}))
        await stream.ws.close()


def _summary(
    target: Target,
    streams: list[Stream],
    frames: list[bytes],
    window: tuple[float, float],
    args: argparse.Namespace,
    cpu: float,
    machine: float,
) -> Run:
    wait_for_emulator(args.emulator_url, args.ca_file)
    arrivals = read_arrivals(args.arrivals)
    codec = "pcm" if target.system == "bare" else args.codec
    total = Matched()
    for stream in streams:
        one = match(stream, frames, arrivals.get(stream.label, []), codec, window)
        total.latencies_ms += one.latencies_ms
        total.missing += one.missing
        total.frames += one.frames
    lags = [lag for s in streams for lag in s.lag]
    minutes = len(streams) * args.seconds / 60
    return Run(
        system=target.system,
        n=len(streams),
        workers=target.workers,
        matched=total,
        cpu_per_minute=cpu / minutes,
        machine_cpu=machine,
        rest_per_minute=args.rest_cpu / minutes,
        lag_p99_ms=float(np.percentile(lags, 99)) * 1000 if lags else 0.0,
        failed=sum(1 for s in streams if s.failed),
    )


def _profile(target: Target, args: argparse.Namespace) -> list[subprocess.Popen[bytes]]:
    """py-spy on each server process for the window (--profile DIR): collapsed stacks."""
    if not args.profile:
        return []
    args.profile.mkdir(parents=True, exist_ok=True)
    return [
        subprocess.Popen(  # noqa: S603 (fixed command line)
            [
                str(Path(stack.PY).with_name("py-spy")),
                "record",
                "--pid",
                str(pid),
                "--rate",
                "250",
                "--duration",
                str(int(args.seconds)),
                "--format",
                "raw",
                "--nonblocking",
                "--gil",  # only threads holding the GIL: Python CPU, not waits
                "-o",
                str(args.profile / f"{target.system}-{len(target.pids)}w-{pid}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in target.pids
    ]


def wait_for_emulator(base_url: str, ca_file: str, within: float = 30.0) -> None:
    """Until every Live session has closed, so the arrival log is flushed."""
    context = ssl.create_default_context(cafile=ca_file)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with urllib.request.urlopen(  # noqa: S310 (the local emulator)
            f"{base_url}/_emulator/sessions", context=context, timeout=5
        ) as response:
            sessions = json.loads(response.read())
        if all(s["close_code"] is not None for s in sessions):
            return
        time.sleep(0.5)


def start_bare(running: stack.Stack) -> tuple[subprocess.Popen[bytes], int]:
    port = stack.free_port()
    env = running.emulator_env
    proc = subprocess.Popen(  # noqa: S603 (our own fixed command line)
        [
            stack.PY,
            str(Path(__file__).with_name("bare_relay.py")),
            "--port",
            str(port),
            "--emulator",
            env["GOOGLE_GEMINI_BASE_URL"],
            "--ca",
            env["SSL_CERT_FILE"],
        ],
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != b"ready":
        raise RuntimeError("bench/bare_relay.py did not start")
    return proc, port


def tertulia(running: stack.Stack, n: int, args: argparse.Namespace) -> Run:
    workers = len(running.pids("daphne"))
    learners: list[object] = list(stack.seed_learners(f"relay-{workers}w-{n}", n))
    rest = (*running.pids("emulator"), os.getpid())
    target = Target("tertulia", running.url, running.pids("daphne"), workers, rest)
    return asyncio.run(drive(target, learners, args))


def bare(port: int, pid: int, n: int, args: argparse.Namespace) -> Run:
    instructions = [f"Bare relay benchmark, {n} learners: learner {i}." for i in range(n)]
    learners: list[object] = [(stack.sha1(text), text) for text in instructions]
    target = Target("bare", f"ws://{stack.HOST}:{port}", [pid], 1, args.rest)
    return asyncio.run(drive(target, learners, args))


def measure(workers: int, levels: list[int], args: argparse.Namespace, runs: list[Run]) -> None:
    with stack.running(workers=workers, name=f"relay{workers}") as running:
        args.arrivals = running.arrivals
        args.emulator_url = running.emulator_env["GOOGLE_GEMINI_BASE_URL"]
        args.ca_file = running.emulator_env["SSL_CERT_FILE"]
        args.rest = (*running.pids("emulator"), os.getpid())
        relay, port = start_bare(running)
        try:
            for n in levels:
                for system in ("tertulia", "bare"):
                    if system == "bare" and (workers > 1 or args.no_bare):
                        continue
                    run = tertulia(running, n, args) if system == "tertulia" else None
                    run = run or bare(port, relay.pid, n, args)
                    runs.append(run)
                    print(row(run), flush=True)
        finally:
            relay.terminate()
            relay.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,50,100,150,200")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--codec", choices=["pcm", "opus"], default="pcm")
    parser.add_argument(
        "--frame-ms",
        type=int,
        choices=[20, 40],
        help="default: 20 for PCM, 40 for Opus, as the page",
    )
    parser.add_argument("--no-stretch", action="store_true")
    parser.add_argument("--no-bare", action="store_true")
    parser.add_argument("--profile", type=Path, help="py-spy each server process into DIR")
    parser.add_argument(
        "--workers",
        help="e.g. 1,2: conversations held per worker count behind nginx (bench/scaling.py)",
    )
    parser.add_argument(
        "--probe", type=Path, help="time the servers' loop callbacks and GC (bench/loop_probe)"
    )
    args = parser.parse_args()
    args.windows = {}
    if args.probe:  # inherited by the servers this process starts
        args.probe.mkdir(parents=True, exist_ok=True)
        probe = str(Path(__file__).with_name("loop_probe"))
        os.environ["PYTHONPATH"] = os.pathsep.join(
            filter(None, [probe, os.environ.get("PYTHONPATH")])
        )
        os.environ["TERTULIA_LOOP_PROBE"] = str(args.probe.resolve())
    levels = [int(n) for n in args.levels.split(",")]
    args.frame_ms = args.frame_ms or (40 if args.codec == "opus" else 20)
    if args.workers:
        from bench import scaling

        scaling.main(args, [int(w) for w in args.workers.split(",")], levels)
        return
    print(
        f"{args.seconds:g} s windows, {args.codec} frames of {args.frame_ms} ms at 48 kHz, "
        f"{psutil.cpu_count()} cores shared by everything\n\n{HEADER}",
        flush=True,
    )
    runs: list[Run] = []
    measure(1, levels, args, runs)
    if args.no_stretch:
        pass
    elif shutil.which("redis-server") is None:
        print("\nThe two-worker stretch run needs redis-server (apt-get install redis-server).")
    else:
        measure(2, [max(levels)], args, runs)
    ratios(runs)
    if args.probe:
        probe_summary(args.probe, args.windows)


if __name__ == "__main__":
    main()
