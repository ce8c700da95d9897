"""Soak test: many simultaneous conversations for minutes, with random upstream faults, then a
check that every turn the emulator heard and spoke is stored exactly once.

    .venv/bin/python bench/soak.py                       # 200 conversations for 5 minutes
    .venv/bin/python bench/soak.py --conversations 20 --seconds 60
    .venv/bin/python bench/soak.py --model gemini-3.1-flash-live-preview   # no interactionStatus

It creates a scratch database (on DATABASE_URL's server, else the embedded PostgreSQL), starts
the emulator (real-time voice) and one Daphne process, signs in N learners, and has each hold a
typed conversation (the tutor answers in real-time audio) until the time is up. A share of Live
connections get a random fault (goAway, 1011, TCP reset; between or mid-turn). Everything
stays on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import ssl
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests import servers  # noqa: E402 (the repository root is on the path now)

LINES = [
    "Yo soy cansado hoy",
    "Mañana voy a la playa",
    "Me gusta mucho el café",
    "Ayer fui al cine con mi hermana",
    "Quiero aprender a cocinar paella",
]
FAULTS = [
    {"kind": "goaway", "after_turns": 2},
    {"kind": "goaway", "after_turns": 1, "mid_turn": True},
    {"kind": "close", "code": 1011, "after_turns": 2},
    {"kind": "close", "code": 1011, "after_turns": 3, "mid_turn": True},
    {"kind": "abort", "after_turns": 2},
    {"kind": "abort", "after_turns": 1, "mid_turn": True},
]
NO_FAULT = {"kind": "goaway", "after_turns": 1_000_000}  # a placeholder that never fires


def scratch_database() -> str:
    """A fresh database on the configured server (or the embedded one); returns its URL."""
    import psycopg

    base = os.environ.get("DATABASE_URL")
    if not base:
        from tutor.embedded_db import embedded_database_url

        base = embedded_database_url(ROOT / ".data")
    name = f"{urlsplit(base).path.lstrip('/') or 'tertulia'}_soak"  # soaks on one server apart
    with psycopg.connect(with_database(base, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return with_database(base, name)


def with_database(url: str, name: str) -> str:
    """`url` naming the database `name`. Only the URL's path changes: the embedded server's
    URL has an empty host and its socket directory (slashes and all) in the query."""
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutor.settings")
    os.environ["TERTULIA_TESTING"] = "1"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def learners(count: int) -> list[tuple[Any, str]]:
    """N signed-in learners with a fresh conversation each: (conversation, session cookie)."""
    from django.contrib.auth.hashers import make_password
    from django.test import Client

    from accounts.models import User
    from lessons.services.conversations import conversation_start

    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"soak{i}@example.org",
            display_name=f"Soak {i}",
            password=password,
            onboarded=True,
            level="A2",
        )
        for i in range(count)
    )
    out = []
    for user in users:
        client = Client()
        client.force_login(user)
        out.append((conversation_start(learner=user), client.cookies["sessionid"].value))
    return out


def start_emulator(workdir: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    proc = subprocess.Popen(  # noqa: S603 (our own module)
        [
            sys.executable,
            "-m",
            "tutor.emulator",
            "--port",
            "0",
            "--workdir",
            str(workdir),
            "--pace",
            "1.0",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=(workdir / "emulator.log").open("w"),  # its seed, and why it stopped if it did
        text=True,
    )
    assert proc.stdout is not None
    env = dict(proc.stdout.readline().strip().split("=", 1) for _ in range(2))
    return proc, env


def control(env: dict[str, str], path: str, payload: Any = None) -> Any:
    tls = ssl.create_default_context(cafile=env["SSL_CERT_FILE"])
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(  # noqa: S310 (https to the local emulator)
        env["GOOGLE_GEMINI_BASE_URL"] + path,
        data=data,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, context=tls, timeout=30) as response:  # noqa: S310
        return json.load(response)


def server_env(database_url: str, emulator_env: dict[str, str], model: str) -> dict[str, str]:
    return servers.server_env(
        database_url=database_url,
        emulator=emulator_env,
        extra={
            **emulator_env,  # SSL_CERT_FILE as well
            "TERTULIA_TESTING": "1",
            "LOG_LEVEL": "WARNING",
            "CONVERSATION_STARTS_PER_HOUR": "100000",
            "RECONNECT_GRACE_SECONDS": "30",
            "GEMINI_LIVE_MODEL": model,
        },
    )


async def converse(
    url: str,
    conversation_id: str,
    cookie: str,
    tag: int,
    deadline: float,
    sent: dict[str, list[str]],
    problems: Counter[str],
) -> None:
    from websockets.asyncio.client import connect

    ws_url = url.replace("http", "ws", 1) + f"/ws/conversations/{conversation_id}/"
    headers = {"Cookie": f"sessionid={cookie}", "Origin": url}
    lines = sent.setdefault(conversation_id, [])
    try:
        async with connect(ws_url, additional_headers=headers, max_size=None) as ws:
            await ws.send(json.dumps({"type": "start", "sampleRate": 48000, "format": "s16"}))
            await _until(ws, lambda e: e["type"] == "turn_complete", 60)  # the greeting
            while time.monotonic() < deadline:
                line = f"{random.choice(LINES)} (alumno {tag}, frase {len(lines)})"
                lines.append(line)
                await ws.send(json.dumps({"type": "text", "text": line}))
                await _until(ws, lambda e: e["type"] == "turn_complete", 60)
                await asyncio.sleep(random.uniform(0.5, 3.0))
            await ws.send(json.dumps({"type": "end"}))
            await _until(ws, lambda e: e["type"] == "ended", 60)
    except Exception as exc:
        problems[type(exc).__name__] += 1


async def _until(ws: Any, match: Any, within: float) -> None:
    async with asyncio.timeout(within):
        async for frame in ws:
            if isinstance(frame, str) and match(json.loads(frame)):
                return


def reconcile(sessions: list[dict[str, Any]], sent: dict[str, list[str]]) -> dict[str, int]:
    """Compare what the emulator heard and spoke with the Turn rows, conversation by
    conversation (connections are grouped by the tag in what the learner said)."""
    from lessons.models import Turn

    counts: Counter[str] = Counter()
    heard: dict[str, list[str]] = {}
    spoken: dict[str, list[str]] = {}
    by_handle: dict[str, str] = {}
    tag_owner = {line.split("(")[-1]: cid for cid, lines in sent.items() for line in lines}
    for record in sessions:
        if not (record["learner_turns"] or record["tutor_turns"] or record["handles_issued"]):
            continue  # e.g. a resume refused with 1011: nothing was said on it
        owner = by_handle.get(record.get("resumed_from") or "")
        for line in record["learner_turns"]:
            owner = owner or tag_owner.get(line.split("(")[-1])
        if owner is None:
            counts["emulator sessions not matched to a conversation"] += 1
            continue
        for handle in record["handles_issued"]:
            by_handle[handle] = owner
        heard.setdefault(owner, []).extend(record["learner_turns"])
        spoken.setdefault(owner, []).extend(record["tutor_turns"])
    rows: dict[str, list[tuple[int, str, str]]] = {}
    for cid, ordinal, speaker, text in Turn.objects.order_by("conversation", "ordinal").values_list(
        "conversation_id", "ordinal", "speaker", "text"
    ):
        rows.setdefault(str(cid), []).append((ordinal, speaker, text))
    # A reply cut off by a mid-turn fault is stored (marked interrupted) but the emulator does
    # not list it among the turns it spoke: count those separately.
    counts["tutor turns cut off by a fault (stored, interrupted)"] = Turn.objects.filter(
        speaker="tutor", interrupted=True
    ).count()
    for cid, lines in sent.items():
        turns = rows.get(cid, [])
        counts["conversations"] += 1
        counts["learner lines sent"] += len(lines)
        ordinals = [o for o, _, _ in turns]
        counts["ordinal gaps"] += int(ordinals != list(range(len(ordinals))))
        stored_learner = [t for _, s, t in turns if s == "learner"]
        counts["learner turns stored"] += len(stored_learner)
        counts["learner turns lost"] += sum(1 for line in lines if line not in stored_learner)
        counts["learner turns duplicated"] += len(stored_learner) - len(set(stored_learner))
        # A stored learner line that is not one the learner sent: a line split in two (or
        # run together) by late transcription pieces.
        counts["learner turns split"] += sum(1 for line in stored_learner if line not in lines)
        stored_tutor = [t for _, s, t in turns if s == "tutor"]
        counts["tutor turns spoken by the emulator"] += len(spoken.get(cid, []))
        counts["tutor turns stored"] += len(stored_tutor)
        counts["tutor turns lost"] += sum(
            1
            for said in spoken.get(cid, [])
            if not any(said.startswith(t) or t.startswith(said) for t in stored_tutor if t)
        )
        counts["learner lines the emulator heard"] += len(heard.get(cid, []))
    return dict(counts)


async def hold(
    url: str, pairs: list[tuple[Any, str]], seconds: int
) -> tuple[dict[str, list[str]], Counter[str]]:
    sent: dict[str, list[str]] = {}
    problems: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(
            converse(url, str(c.pk), cookie, i, deadline, sent, problems)
            for i, (c, cookie) in enumerate(pairs)
        )
    )
    return sent, problems


def run(args: argparse.Namespace) -> None:
    database_url = scratch_database()
    setup_django(database_url)
    work = ROOT / ".data" / "soak"
    work.mkdir(parents=True, exist_ok=True)
    emulator, env = start_emulator(work)
    for _ in range(args.conversations * 6):
        control(
            env,
            "/_emulator/faults",
            random.choice(FAULTS) if random.random() < args.fault_rate else NO_FAULT,
        )
    try:
        with servers.daphne(
            server_env(database_url, env, args.model), log=work / "daphne.log", stop_within=60
        ) as daphne:
            pairs = learners(args.conversations)
            print(
                f"{len(pairs)} conversations for {args.seconds} s, "
                f"fault rate {args.fault_rate:.0%} of Live connections, {args.model} …",
                flush=True,
            )
            sent, problems = asyncio.run(hold(daphne.url, pairs, args.seconds))
            time.sleep(2)
            sessions = control(env, "/_emulator/sessions")
    finally:
        emulator.terminate()
        emulator.wait(10)
    counts = reconcile(sessions, sent)
    closes = Counter(s.get("close_code") for s in sessions)
    resumed = sum(1 for s in sessions if s.get("resumed_from"))
    print(
        f"Live connections: {len(sessions)} ({resumed} resumed after a fault); "
        f"close codes: {dict(closes)}"
    )
    print(f"client errors: {dict(problems) or 'none'}")
    for name, value in counts.items():
        print(f"  {name:45} {value}")
    bad = sum(
        counts.get(k, 0)
        for k in (
            "learner turns lost",
            "learner turns duplicated",
            "learner turns split",
            "tutor turns lost",
            "ordinal gaps",
        )
    )
    print("RESULT:", "no turn lost, duplicated or split" if bad == 0 else f"{bad} problems")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--fault-rate", type=float, default=0.3)
    # 2.5 and 3.1 send no interactionStatus: late transcription may wait for the next input.
    parser.add_argument("--model", default="gemini-3.8-live")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
