"""Bytes on the wire per minute of conversation, PCM against Opus, next to the blog post's
voice mode (50 MB per five-minute conversation: 10 MB a minute). Run from a fresh clone:

    .venv/bin/python bench/bandwidth.py [--minutes 2]

It starts its own stack (bench/stack.py: scratch database, the Live emulator at real-time
pace, one Daphne) and holds one full conversation per codec through it, in real time: the
learner speaks a Spanish sentence, waits for the tutor's spoken answer, pauses, speaks again,
with the microphone streaming all along as the page's does (with Opus, as the page's
WebCodecs encoder with DTX sends it: bench/learner.py). A TCP proxy in front of Daphne counts
every byte both ways (WebSocket handshake and framing included). The same learner script
through bench/bare_relay.py gives the baseline for the time to first tutor audio
(bench/first_audio.py): what we add is ours minus the bare relay's.
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
from bench.first_audio import Ear, bare_conversation, stream
from bench.learner import SENTENCES, Downlink, Mic, Uplink, open_socket, speech
from bench.relay import start_bare
from lessons.models import Conversation
from tutor.audio.opus_framing import opus_packet_ms

BLOG_MB_PER_MINUTE = 10.0  # 50 MB per five-minute conversation
GOAL_MB_PER_MINUTE = 0.15  # both ways together, with Opus (issue 16: half of 0.295)
GOAL_ADDED_MS = 30  # p95 time to first audio over the bare relay's, either codec


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
    ear: Ear | None = None  # the same, as the learner's client has it

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
    mic, uplink, downlink, ear = Mic(seed=1), Uplink(codec), Downlink(), Ear()
    tutor_ms = [0.0]

    def on_audio(frame: bytes) -> None:
        ear.heard()
        tutor_ms[0] += _audio_ms(codec, frame)

    downlink.on_audio = on_audio
    opened = time.monotonic()
    ws = await open_socket(
        f"http://{stack.HOST}:{proxy.port}", learner.conversation_id, learner.cookie
    )
    reader = asyncio.create_task(downlink.read(ws))
    await ws.send(json.dumps(uplink.start_message()))
    await downlink.ready.wait()
    sent = [0]
    streaming = asyncio.create_task(stream(ws, mic, uplink, ear, sent))
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
        ear=ear,
    )


def _audio_ms(codec: str, frame: bytes) -> float:
    """Tutor audio in one binary frame: 24 kHz PCM16, or a bundle of Opus packets."""
    if codec == "pcm":
        return len(frame) / 48
    ms, offset = 0.0, 0
    while offset < len(frame):
        size = int.from_bytes(frame[offset : offset + 2], "little")
        ms += opus_packet_ms(frame[offset + 2 : offset + 2 + size])
        offset += 2 + size
    return ms


def report(results: list[Result], bare: Ear | None) -> None:
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
    if bare is not None:
        _first_audio(results, bare)
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


def _first_audio(results: list[Result], bare: Ear) -> None:
    """The learner's-ear time to first audio, ours against the bare relay's."""
    b50, b95 = bare.percentiles()
    print(
        f"\ntime to first tutor audio at the learner's client (end of speech sent -> first "
        f"audio received), p50 / p95 ms:\nbare relay (PCM, {len(bare.latencies_ms)} answers): "
        f"{b50:.0f} / {b95:.0f}"
    )
    for r in results:
        if r.ear is None:
            continue
        p50, p95 = r.ear.percentiles()
        verdict = "meets" if p95 - b95 < GOAL_ADDED_MS else "misses"
        print(
            f"{r.codec} ({len(r.ear.latencies_ms)} answers): {p50:.0f} / {p95:.0f}; added over "
            f"the bare relay: {p50 - b50:+.0f} / {p95 - b95:+.0f} ({verdict} < {GOAL_ADDED_MS} ms)"
        )


def run(minutes: float, codecs: list[str], with_bare: bool) -> tuple[list[Result], Ear | None]:
    results, ear = [], None
    with stack.running(name="bandwidth") as running:
        if with_bare:
            print(f"bare relay: a {minutes:g}-minute conversation in real time…", flush=True)
            relay, port = start_bare(running)
            try:
                ear = asyncio.run(bare_conversation(f"ws://{stack.HOST}:{port}", minutes))
            finally:
                relay.terminate()
                relay.wait()
        for codec in codecs:
            (learner,) = stack.seed_learners(f"bandwidth-{codec}", 1)
            print(f"{codec}: a {minutes:g}-minute conversation in real time…", flush=True)
            result = asyncio.run(converse(running.port, learner, codec, minutes))
            stored = Conversation.objects.get(pk=learner.conversation_id)
            result.ttfa_ms = (stored.latency_p50_ms, stored.latency_p95_ms)
            results.append(result)
    return results, ear


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--codec", choices=["pcm", "opus"], action="append")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare relay's run")
    args = parser.parse_args()
    report(*run(args.minutes, args.codec or ["pcm", "opus"], not args.no_bare))


if __name__ == "__main__":
    main()
