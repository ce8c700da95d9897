"""The runtime's audio hook end to end: with STORE_LEARNER_AUDIO on, a spoken learner turn
keeps the learner's own voice (what Gemini heard, 16 kHz); off (the default), nothing is kept."""

from __future__ import annotations

import asyncio
import io
import os
import wave
from pathlib import Path

import numpy as np
import pytest
from channels.db import database_sync_to_async
from django.db import connections
from django.test import override_settings

from accounts.models import User
from lessons.models import Conversation, TurnAudio
from tests.tutor.conftest import Client, final, spanish_48k
from tutor.emulator import Emulator
from tutor.runtime import REGISTRY

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@database_sync_to_async
def _stored() -> list[tuple[str, str, float, bytes]]:
    return [
        (a.turn.speaker, a.turn.source, a.seconds, Path(a.file.path).read_bytes())
        for a in TurnAudio.objects.select_related("turn")
    ]


async def _speak_one_turn(alice: User) -> None:
    conversation = await database_sync_to_async(Conversation.objects.create)(
        learner=alice, language="es", level="A2"
    )
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await client.start()
    await client.until(final("tutor"))
    await client.speak(spanish_48k())
    await client.until(final("learner"))
    await client.send(type="text", text="Y un café, por favor")  # typed: no audio to keep
    await client.until(lambda e: final("learner")(e) and e["source"] == "typed")
    await client.send(type="end")
    await client.closed()
    for runtime in list(REGISTRY.values()):
        await runtime.finish("test_teardown")
    await database_sync_to_async(connections.close_all)()


async def test_a_spoken_turn_keeps_the_learners_voice(
    emulator: Emulator, alice: User, tmp_path: Path
) -> None:
    with override_settings(STORE_LEARNER_AUDIO=True, LEARNER_AUDIO_DIR=tmp_path):
        await _speak_one_turn(alice)
        [(speaker, source, seconds, data)] = await _stored()
    assert (speaker, source) == ("learner", "speech")
    spoken = len(spanish_48k(silence_s=0)) / 96_000  # the synthesized sentence, in seconds
    assert spoken * 0.8 < seconds < spoken + 1.0  # leading silence skipped, VAD tail kept
    with wave.open(io.BytesIO(data)) as wav:
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), np.int16)
    assert wav.getframerate() == 16000 and np.abs(pcm).max() > 1000  # a voice, not silence


async def test_by_default_no_audio_is_kept(emulator: Emulator, alice: User, tmp_path: Path) -> None:
    with override_settings(LEARNER_AUDIO_DIR=tmp_path):
        await _speak_one_turn(alice)
    assert await _stored() == []
    assert await asyncio.to_thread(os.listdir, tmp_path) == []
