"""A spoken placement over the conversation socket: the same pipeline as any conversation,
with the placement's prompt (no tools, so nothing is corrected) and its shorter time limit."""

from __future__ import annotations

from channels.db import database_sync_to_async
from django.test import override_settings

from accounts.models import User
from lessons.models import Conversation, Correction, Turn
from lessons.services.placement import placement_start
from tests.tutor.conftest import SOCKET_TEST, final, kind
from tests.tutor.conftest import Client as SocketClient
from tutor.conversation.close_notices import PLACEMENT_OVER
from tutor.emulator import Emulator
from tutor.emulator.placement import load

pytestmark = SOCKET_TEST
SPANISH = load("es")


@database_sync_to_async
def _placement(learner: User) -> Conversation:
    return placement_start(learner=learner).conversation


@override_settings(PLACEMENT_MAX_SECONDS=3, CONVERSATION_MAX_SECONDS=600)
async def test_a_placement_probes_without_correcting_and_ends_at_its_own_limit(
    emulator: Emulator, alice: User
) -> None:
    conversation = await _placement(alice)
    client = SocketClient(conversation.pk, user=alice)
    await client.connect()
    await client.start()
    greeting = await client.until(final("tutor"))
    assert greeting["text"].endswith(SPANISH.probes["A2"].question)
    await client.send(type="text", text="Yo soy cansado hoy, trabajé mucho.")
    answer = f"{SPANISH.ack} {SPANISH.probes['A2'].followup}"
    reply = await client.until(lambda e: final("tutor")(e) and e["text"] != greeting["text"])
    assert reply["text"] == answer
    error = await client.until(kind("error"), within=10)
    assert (error["code"], error["message"]) == ("time_limit", PLACEMENT_OVER)
    assert await client.closed() == 4408
    done = await database_sync_to_async(Conversation.objects.get)(pk=conversation.pk)
    assert (done.status, done.end_reason) == ("ended", "time_limit")
    # The free-talk script would have corrected "soy cansado"; the placement notes nothing.
    assert not await database_sync_to_async(
        Correction.objects.filter(turn__conversation=conversation).exists
    )()
    speakers = await database_sync_to_async(
        lambda: list(conversation.turns.values_list("speaker", flat=True))
    )()
    assert speakers == [Turn.Speaker.TUTOR, Turn.Speaker.LEARNER, Turn.Speaker.TUTOR]
