"""Run the emulator in the foreground: `python -m tutor.emulator` and `manage.py live_emulator`.

Prints exactly the two environment lines a client needs, then serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import signal
import sys
from pathlib import Path
from typing import Protocol

from tutor.emulator.behaviour import Behaviour, env_seed
from tutor.emulator.server import Emulator


class Output(Protocol):
    """sys.stdout or Django's OutputWrapper."""

    def write(self, text: str, /) -> object: ...
    def flush(self) -> object: ...


# Kept across restarts so clients that trust the CA keep working.
DEFAULT_WORKDIR = Path(__file__).resolve().parents[2] / ".data" / "emulator"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--pace", type=float, default=1.0, help="1 = real-time tutor audio, 0 = as fast as possible"
    )
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help="CA and cert files")
    parser.add_argument(
        "--seed", type=int, default=None, help="fixes the random draws (default: a new seed)"
    )
    parser.add_argument(
        "--orderly", action="store_true", help="tidy orderings and no limits (not the real service)"
    )
    parser.add_argument(
        "--connection-seconds",
        type=float,
        default=Behaviour.connection_seconds,
        help="close each connection after this long, like the real service (default 600)",
    )
    parser.add_argument(
        "--goaway-notice",
        type=float,
        default=Behaviour.goaway_notice,
        help="seconds of goAway warning before that close (default 60)",
    )


def behaviour_from(args: argparse.Namespace | dict[str, object]) -> Behaviour:
    options = vars(args) if isinstance(args, argparse.Namespace) else args
    seed = options.get("seed")
    if not isinstance(seed, int):  # --seed, else EMULATOR_SEED, else a new one (printed)
        chosen = env_seed()
        seed = chosen if chosen is not None else secrets.randbelow(1_000_000)
    return Behaviour(
        seed=seed,
        orderly=bool(options.get("orderly")),
        connection_seconds=float(options["connection_seconds"]),  # type: ignore[arg-type]
        goaway_notice=float(options["goaway_notice"]),  # type: ignore[arg-type]
    )


async def serve(
    host: str, port: int, pace: float, workdir: Path, out: Output, behaviour: Behaviour
) -> None:
    emulator = Emulator(host=host, port=port, pace=pace, workdir=workdir, behaviour=behaviour)
    await emulator.start()
    try:
        out.write(f"GOOGLE_GEMINI_BASE_URL={emulator.base_url}\nSSL_CERT_FILE={emulator.ca_file}\n")
        out.flush()
        # The seed goes to stderr: stdout carries only the two environment lines.
        print(f"emulator seed {behaviour.seed} (--seed to replay)", file=sys.stderr, flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
    finally:
        await emulator.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tutor.emulator", description=__doc__)
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    behaviour = behaviour_from(args)
    asyncio.run(serve(args.host, args.port, args.pace, args.workdir, sys.stdout, behaviour))
