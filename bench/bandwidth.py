"""Bytes on the wire per minute of conversation, PCM against Opus, next to the blog post's
voice mode (50 MB per five-minute conversation: 10 MB a minute). Run from a fresh clone:

    .venv/bin/python bench/bandwidth.py [--minutes 2]

It starts its own stack (bench/stack.py: scratch database, the Live emulator at real-time
pace, one Daphne) and holds one full conversation per codec through it, in real time: the
learner speaks a Spanish sentence, waits for the tutor's spoken answer, pauses, speaks again,
with the microphone streaming all along as the page's does. A TCP proxy in front of Daphne
counts every byte both ways (WebSocket handshake and framing included).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import stack  # first: it sets up Django
from bench.learner import SENTENCES, Downlink, Mic, Uplink, open_socket, pace, speech
from lessons.models import Conversation

BLOG_MB_PER_MINUTE = 10.0  # 50 MB per five-minute conversation
GOAL_MB_PER_MINUTE = 0.5  # both ways together, with Opus


@dataclass
class Result:
    codec: str
    minutes: float
    up: int
    down: int
    tutor_seconds: float
    turns: int
    audio_up: int = 0  # payload bytes of the binary frames, each way
    audio_down: int = 0
    ttfa_ms: tuple[int | None, int | None] = (None, None)  # as stored: p50, p95

    def per_minute(self, count: int) -> float:
        return count / self.minutes / 1e6


class CountingProxy:
    """127.0.0.1 TCP proxy to `target_port` that counts bytes each way."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.up = self.down = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, stack.HOST, 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(stack.HOST, self.target_port)
        await asyncio.gather(
            self._pump(reader, up_writer, "up"), self._pump(up_reader, writer, "down")
        )

    async def _pump(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, direction: str
    ) -> None:
        try:
            while data := await reader.read(65536):
                if direction == "up":
                    self.up += len(data)
                else:
                    self.down += len(data)
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()


async def converse(base_port: int, learner: stack.Learner, codec: str, minutes: float) -> Result:
    proxy = CountingProxy(base_port)
    await proxy.start()
    mic, uplink, downlink = Mic(seed=1), Uplink(codec), Downlink()
    tutor_ms = [0.0]
    downlink.on_audio = lambda frame: tutor_ms.__setitem__(0, tutor_ms[0] + _audio_ms(codec, frame))
    opened = time.monotonic()
    ws = await open_socket(
        f"http://{stack.HOST}:{proxy.port}", learner.conversation_id, learner.cookie
    )
    reader = asyncio.create_task(downlink.read(ws))
    await ws.send(json.dumps(uplink.start_message()))
    await downlink.ready.wait()
    sent = [0]
    streaming = asyncio.create_task(_stream(ws, mic, uplink, sent))
    await downlink.next_turn()  # the greeting
    for index in range(1000):
        if time.monotonic() - opened >= minutes * 60:
            break
        mic.say(speech(SENTENCES[index % len(SENTENCES)]))
        await downlink.next_turn()
        await asyncio.sleep(0.6)  # the learner thinks before answering
    streaming.cancel()
    await ws.send(json.dumps({"type": "end"}))
    await downlink.closed.wait()
    await reader
    elapsed = time.monotonic() - opened
    await proxy.close()
    return Result(
        codec,
        elapsed / 60,
        proxy.up,
        proxy.down,
        tutor_ms[0] / 1000,
        downlink.turns_done,
        audio_up=sent[0],
        audio_down=downlink.audio_bytes,
    )


async def _stream(ws: object, mic: Mic, uplink: Uplink, sent: list[int]) -> None:
    start = time.monotonic()
    for index in range(10**9):
        for frame in uplink.frames(mic.frame()):
            sent[0] += len(frame)
            await ws.send(frame)  # type: ignore[attr-defined]
        await asyncio.sleep(pace(start, index + 1))


def _audio_ms(codec: str, frame: bytes) -> float:
    """Tutor audio in one binary frame: 24 kHz PCM16, or a bundle of 20 ms Opus packets."""
    if codec == "pcm":
        return len(frame) / 48
    count, offset = 0, 0
    while offset < len(frame):
        offset += 2 + int.from_bytes(frame[offset : offset + 2], "little")
        count += 1
    return count * 20.0


def report(results: list[Result]) -> None:
    print(
        f"\n{'codec':6} {'minutes':>7} {'up MB/min':>10} {'down MB/min':>12} "
        f"{'total MB/min':>13} {'vs blog':>8} {'tutor s/min':>12}"
    )
    for r in results:
        total = r.per_minute(r.up + r.down)
        print(
            f"{r.codec:6} {r.minutes:7.2f} {r.per_minute(r.up):10.3f} {r.per_minute(r.down):12.3f} "
            f"{total:13.3f} {total / BLOG_MB_PER_MINUTE:7.3f}x {r.tutor_seconds / r.minutes:12.1f}"
        )
    print("of which audio (binary frame payloads; the rest is events, framing, handshake):")
    for r in results:
        print(
            f"{r.codec:6} {'':7} {r.per_minute(r.audio_up):10.3f} "
            f"{r.per_minute(r.audio_down):12.3f} {r.per_minute(r.audio_up + r.audio_down):13.3f}"
        )
    for r in results:
        p50, p95 = r.ttfa_ms
        print(
            f"{r.codec}: {r.turns} tutor turns; time to first tutor audio as stored for the "
            f"operator page: p50 {p50} ms, p95 {p95} ms (includes the emulator's 600 ms of "
            "end-of-speech silence)"
        )
    by = {r.codec: r for r in results}
    if {"pcm", "opus"} <= set(by):
        pcm, opus = by["pcm"], by["opus"]
        ratio = pcm.per_minute(pcm.up + pcm.down) / opus.per_minute(opus.up + opus.down)
        print(f"\nOpus sends {ratio:.1f}x fewer bytes than PCM per minute.")
        total = opus.per_minute(opus.up + opus.down)
        verdict = "meets" if total <= GOAL_MB_PER_MINUTE else "misses"
        print(
            f"Opus: {total:.3f} MB a minute both ways = {total / BLOG_MB_PER_MINUTE:.3f}x the "
            f"blog post's {BLOG_MB_PER_MINUTE:.0f} MB; {verdict} the {GOAL_MB_PER_MINUTE} MB goal."
        )


def run(minutes: float, codecs: list[str]) -> list[Result]:
    results = []
    with stack.running(name="bandwidth") as running:
        for codec in codecs:
            (learner,) = stack.seed_learners(f"bandwidth-{codec}", 1)
            print(f"{codec}: a {minutes:g}-minute conversation in real time…", flush=True)
            result = asyncio.run(converse(running.port, learner, codec, minutes))
            stored = Conversation.objects.get(pk=learner.conversation_id)
            result.ttfa_ms = (stored.latency_p50_ms, stored.latency_p95_ms)
            results.append(result)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--codec", choices=["pcm", "opus"], action="append")
    args = parser.parse_args()
    report(run(args.minutes, args.codec or ["pcm", "opus"]))


if __name__ == "__main__":
    main()
