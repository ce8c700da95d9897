""" "What could I say?" latency: p50/p95 of a hint through the Django endpoint (tutor:hints:
access checks, limits, the stored transcript, the prompt, the text model call, storing the
suggestions) against the emulator's text endpoint, next to a bare `generate_content` call with
the same prompt to the same emulator in the same run, and the ratio. A third row is a second
press at the same point (served from the stored hint, no model call).

It creates its own scratch database (bench_tertulia_hints, on the server of DATABASE_URL or the
embedded one) and its own emulator, and cleans up:

    .venv/bin/python bench/hints.py [--requests 200]

The budget is 1.5 s p95 through the endpoint.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutor.settings")
os.environ.setdefault("TERTULIA_TESTING", "1")  # plain static storage: no manifest needed

import django

django.setup()

from asgiref.sync import sync_to_async  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import AsyncClient, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from google.genai import types  # noqa: E402

from accounts.models import User  # noqa: E402
from lessons.models import Conversation, Topic  # noqa: E402
from lessons.services.conversations import (  # noqa: E402
    conversation_history,
    conversation_record_turn,
)
from tutor.emulator import Emulator  # noqa: E402
from tutor.live import upstream  # noqa: E402
from tutor.live.hints import _HTTP_OPTIONS  # noqa: E402
from tutor.prompts.hints import (  # noqa: E402
    HINT_TURNS,
    SCHEMA,
    HintBrief,
    hint_request,
    hint_system_instruction,
)

SCRATCH_DB = "bench_tertulia_hints"
BUDGET_P95 = 1.5
PHRASES = [
    "Quisiera un café con leche.",
    "¿Tiene algo para comer?",
    "¿Cuánto cuesta?",
    "La cuenta, por favor.",
]
TUTOR_LINES = ["¡Hola! ¿Qué le pongo?", "Muy bien. ¿Algo más?", "Claro, ahora mismo."]
LEARNER_LINES = [*PHRASES, "Gracias."]


def _seed() -> tuple[User, Conversation]:
    learner = User.objects.create_user(
        email="bench@example.org", password=None, onboarded=True, target_language="es"
    )
    topic = Topic.objects.create(
        slug="bench-cafe",
        language="es",
        title="En el café",
        scenario="Un café en Madrid.",
        tutor_role="el camarero",
        learner_goal="Pedir y pagar.",
        target_phrases=PHRASES,
        level_min="A1",
        level_max="A2",
    )
    conversation = Conversation.objects.create(
        learner=learner, topic=topic, language="es", level="A2"
    )
    return learner, conversation


def _say_next(conversation: Conversation, n: int) -> None:
    """One more line, so the next hint is at a new point (not served from the stored one)."""
    speaker = "tutor" if n % 2 == 0 else "learner"
    lines = TUTOR_LINES if speaker == "tutor" else LEARNER_LINES
    conversation_record_turn(
        conversation_id=conversation.pk, speaker=speaker, text=lines[(n // 2) % len(lines)]
    )


def _brief(conversation: Conversation) -> HintBrief:
    """What the endpoint asks the model, built the same way, for the bare call."""
    fresh = Conversation.objects.select_related("learner", "topic").get(pk=conversation.pk)
    learner, topic = upstream.briefs(fresh)
    history = conversation_history(conversation_id=conversation.pk, limit=HINT_TURNS)
    return HintBrief(learner, topic, history)


async def _timed(call: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await call()
    return time.perf_counter() - started


def _row(name: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    figures = " | ".join(f"{value * 1000:.1f}" for value in (p50, p95, ordered[-1]))
    return f"| {name} | {len(ordered)} | {figures} |"


async def _run(requests: int) -> None:
    learner, conversation = await sync_to_async(_seed)()
    http = AsyncClient()
    await http.aforce_login(learner)
    url = reverse("tutor:hints", args=[conversation.pk])
    sdk = upstream.client()
    config = types.GenerateContentConfig(
        response_mime_type="application/json",
        response_schema=types.Schema.model_validate(SCHEMA),
        temperature=0.7,
        http_options=_HTTP_OPTIONS.model_copy(deep=True),
    )
    ours: list[float] = []
    cached: list[float] = []
    bare: list[float] = []

    async def hint() -> None:
        response = await http.post(url)
        assert response.status_code == 200, response.content
        assert response.json()["cached"] is False, "a hint must be a model call here"

    async def again() -> None:
        response = await http.post(url)
        assert response.status_code == 200 and response.json()["cached"] is True

    for n in range(requests + 5):  # the first five warm up the pools and are not counted
        await sync_to_async(_say_next)(conversation, n)
        brief = await sync_to_async(_brief)(conversation)
        system, prompt = hint_system_instruction(brief), hint_request(brief)

        async def generate(system: str = system, prompt: str = prompt) -> None:
            reply = await sdk.aio.models.generate_content(
                model="gemini-3.5-flash",
                contents=prompt,
                config=config.model_copy(update={"system_instruction": system}),
            )
            assert "suggestions" in (reply.text or "")

        # Interleaved, so both paths see the same load on a shared machine.
        timings = (await _timed(hint), await _timed(again), await _timed(generate))
        if n >= 5:
            ours.append(timings[0])
            cached.append(timings[1])
            bare.append(timings[2])
    print(f"{requests} hints, one per point of one conversation (2-core machine, shared)\n")
    print("| path | n | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    print(_row("tutor:hints (Django endpoint → emulator)", ours))
    print(_row("tutor:hints, second press (stored)", cached))
    print(_row("bare generate_content → emulator", bare))
    ratio50 = statistics.median(ours) / statistics.median(bare)
    p95 = sorted(ours)[round(0.95 * (len(ours) - 1))]
    bare95 = sorted(bare)[round(0.95 * (len(bare) - 1))]
    print(f"\nratio ours/bare: p50 {ratio50:.2f}×, p95 {p95 / bare95:.2f}×")
    verdict = "within" if p95 <= BUDGET_P95 else "OVER"
    print(f"p95 {p95 * 1000:.0f} ms: {verdict} the {BUDGET_P95 * 1000:.0f} ms budget")


async def _main(requests: int) -> None:
    async with Emulator(pace=0) as emu:
        with override_settings(
            GOOGLE_GEMINI_BASE_URL=emu.base_url,
            GEMINI_CA_FILE=emu.ca_file,
            GEMINI_API_KEY="",
            HINTS_PER_HOUR=10**6,
            HINTS_PER_IP_PER_HOUR=10**6,
        ):
            upstream.client.cache_clear()
            try:
                await _run(requests)
            finally:
                upstream.client.cache_clear()
                await sync_to_async(connections.close_all)()


def main() -> None:
    logging.getLogger("google_genai").setLevel(logging.WARNING)  # a line per call otherwise
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    setup_test_environment()
    original = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = SCRATCH_DB
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        asyncio.run(_main(args.requests))
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
