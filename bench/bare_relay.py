"""The baseline of bench/relay.py: the least a relay between the page and Gemini Live can do.

A plain `websockets` server (no Django, no database, no google-genai, no turn assembly). Per
connection it reads the start message, opens the Live WebSocket to the emulator (TLS, the
setup frame), then resamples each 48 kHz PCM16 frame with one soxr stream to 16 kHz and
forwards it as one `realtimeInput` message (base64 JSON, as the SDK sends it), and passes
the tutor's audio back as binary frames. bench/relay.py starts it:

    python bench/bare_relay.py --port N --emulator https://127.0.0.1:P --ca ca.pem

The start message may carry `instruction`, the system instruction to send upstream, so the
emulator's arrival log can tell the connections apart.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import signal
import ssl

import numpy as np
import soxr
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

MODEL = "models/gemini-3.8-live"
LIVE_PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"
KEY = "bare-relay"  # the emulator's placeholder credential, not a secret
# One realtimeInput message, as the SDK sends it, built around the base64 audio.
AUDIO_HEAD = '{"realtime_input":{"audio":{"data":"'
AUDIO_TAIL = '","mime_type":"audio/pcm;rate=16000"}}}'


class Relay:
    def __init__(self, emulator: str, ca_file: str) -> None:
        self.live_url = emulator.replace("https://", "wss://", 1) + LIVE_PATH
        self.ssl = ssl.create_default_context(cafile=ca_file)

    async def handle(self, page: ServerConnection) -> None:
        start = json.loads(await page.recv())
        async with connect(
            self.live_url,
            ssl=self.ssl,
            additional_headers={"x-goog-api-key": KEY},
            max_size=None,
            compression=None,
        ) as live:
            await live.send(json.dumps(_setup(start.get("instruction", ""))))
            await live.recv()  # setupComplete
            await page.send(json.dumps({"type": "ready", "outputRate": 24000}))
            down = asyncio.create_task(_tutor_audio(live, page))
            try:
                await _learner_audio(page, live, int(start["sampleRate"]))
            finally:
                down.cancel()


def _setup(instruction: str) -> dict[str, object]:
    return {
        "setup": {
            "model": MODEL,
            "generationConfig": {"responseModalities": ["AUDIO"]},
            "systemInstruction": {"parts": [{"text": instruction}]},
        }
    }


async def _learner_audio(page: ServerConnection, live: ClientConnection, rate: int) -> None:
    stream = soxr.ResampleStream(rate, 16_000, 1, dtype=np.int16, quality="HQ")
    try:
        async for frame in page:
            if isinstance(frame, str):
                continue  # control messages: nothing to do for a relay
            pcm = stream.resample_chunk(np.frombuffer(frame, np.int16)).tobytes()
            if pcm:
                data = base64.b64encode(pcm).decode()
                await live.send(f"{AUDIO_HEAD}{data}{AUDIO_TAIL}")
    except ConnectionClosed:
        pass


async def _tutor_audio(live: ClientConnection, page: ServerConnection) -> None:
    try:
        async for message in live:
            content = json.loads(message).get("serverContent") or {}
            for part in (content.get("modelTurn") or {}).get("parts") or []:
                data = (part.get("inlineData") or {}).get("data")
                if data:
                    await page.send(base64.b64decode(data))
    except ConnectionClosed:
        pass


async def main(port: int, emulator: str, ca_file: str) -> None:
    relay = Relay(emulator, ca_file)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with serve(relay.handle, "127.0.0.1", port, max_size=None, compression=None):
        print("ready", flush=True)
        await stop.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--ca", required=True)
    args = parser.parse_args()
    asyncio.run(main(args.port, args.emulator, args.ca))
