"""One stored learner turn per utterance, each correction on its turn, under the real service's
orderings: the realistic emulator (several seeds) cuts the input transcription into pieces
before, during and after the reply, even after turnComplete, and sends NON_BLOCKING calls
anywhere around the audio (docs/gemini-live.md §10). Channels communicator + real SDK + TLS."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings

from accounts.models import User
from lessons.models import Conversation, Correction, Turn
from lessons.services import conversations as services
from tests.tutor.conftest import SOCKET_TEST, Client, final, kind, spanish_48k
from tutor.emulator import Emulator, Fault
from tutor.emulator.behaviour import Behaviour
from tutor.live import upstream

pytestmark = SOCKET_TEST


@database_sync_to_async
def _stored(conversation: Conversation) -> tuple[list[tuple[str, str, str]], list[tuple]]:
    turns = Turn.objects.filter(conversation=conversation).order_by("ordinal")
    notes = Correction.objects.filter(turn__conversation=conversation)
    return (
        list(turns.values_list("speaker", "source", "text")),
        sorted(notes.values_list("turn__ordinal", "corrected")),
    )


async def _settled(client: Client, emu: Emulator, replies: int) -> None:
    """Until `replies` replies are complete, every learner line is whole on the page and
    every correction the emulator sent has arrived (late ones included)."""
    await client.until(lambda e: client.kinds().count("turn_complete") >= replies)
    record = emu.sessions[0]
    for heard in record.learner_turns:
        await client.until(lambda e, h=heard: final("learner")(e) and e["text"] == h)
    sent = sum(call["name"] == "note_correction" for call in record.tool_calls_sent)
    await client.until(lambda e: client.kinds().count("correction") >= sent)


def _expected_notes(emu: Emulator, ordinals: list[int]) -> list[tuple[int, str]]:
    calls = [c for c in emu.sessions[0].tool_calls_sent if c["name"] == "note_correction"]
    return sorted((ordinals[c["learner_turn"]], c["args"]["corrected"]) for c in calls)


async def _start(learner: User) -> tuple[Conversation, Client]:
    conversation = await database_sync_to_async(services.conversation_start)(
        learner=learner, language="es"
    )
    client = Client(conversation.pk, user=learner)
    await client.connect()
    await client.start()
    await client.until(final("tutor"))  # the greeting
    return conversation, client


# 3.8 sends interactionStatus (IN_PROGRESS, then IDLE after late items) and NON_BLOCKING calls;
# 3.1 sends neither, so only the learner's next speech closes a line.
@pytest.mark.parametrize("model", ["gemini-3.8-live", "gemini-3.1-flash-live-preview"])
async def test_two_utterances_are_two_whole_lines_with_their_own_corrections(
    seeded_emulator: Emulator, alice: User, model: str
) -> None:
    emu = seeded_emulator
    with override_settings(GEMINI_LIVE_MODEL=model):
        conversation, client = await _start(alice)
    await client.speak(spanish_48k())
    await _settled(client, emu, replies=2)
    await client.speak(spanish_48k("Ayer yo fui a la playa con mis amigos"))
    await _settled(client, emu, replies=3)
    await client.send(type="end")
    assert await client.closed() == 1000

    turns, notes = await _stored(conversation)
    record = emu.sessions[0]
    assert record.model == f"models/{model}" or record.model == model
    assert [s for s, _, _ in turns] == ["tutor", "learner", "tutor", "learner", "tutor"]
    assert [t for s, _, t in turns if s == "learner"] == record.learner_turns
    assert [t for s, _, t in turns if s == "tutor"] == record.tutor_turns
    learner_ordinals = [i for i, (s, _, _) in enumerate(turns) if s == "learner"]
    assert notes == _expected_notes(emu, learner_ordinals)
    assert notes  # the script corrects at least one of the two lines
    page = [e for e in client.events if kind("correction")(e)]
    assert sorted((e["turn"], e["corrected"]) for e in page) == notes


async def test_a_typed_line_then_speech_are_two_lines_whether_or_not_it_was_echoed(
    seeded_emulator: Emulator, alice: User
) -> None:
    emu = seeded_emulator
    conversation, client = await _start(alice)
    await client.send(type="text", text="Hoy soy cansada.")
    await _settled(client, emu, replies=2)
    await client.speak(spanish_48k())
    await _settled(client, emu, replies=3)
    await client.send(type="end")
    assert await client.closed() == 1000

    turns, notes = await _stored(conversation)
    record = emu.sessions[0]
    learner = [(source, text) for s, source, text in turns if s == "learner"]
    assert learner == [("typed", "Hoy soy cansada."), ("speech", record.learner_turns[1])]
    assert [s for s, _, _ in turns] == ["tutor", "learner", "tutor", "learner", "tutor"]
    assert notes == _expected_notes(emu, [1, 3])


TYPED = ["Mañana voy a la playa (frase 0)", "Mañana voy a la playa (frase 1)", "Yo soy cansado"]


@pytest.mark.parametrize(
    "fault",
    [
        Fault(kind="close", code=1011, after_turns=1, mid_turn=True),
        Fault(kind="abort", after_turns=1, mid_turn=True),
        Fault(kind="goaway", after_turns=1, mid_turn=True, delay=0.001),
    ],
    ids=["1011", "tcp-reset", "goaway-no-time"],
)
async def test_typed_lines_stay_whole_when_a_fault_cuts_an_echo_short(
    seeded_emulator: Emulator, alice: User, fault: Fault
) -> None:
    """Found by bench/soak.py: the first piece of a typed line's echo arrived, a fault cut the
    reply, and that piece was stored as speech run together with the next line's echo."""
    emu = seeded_emulator
    emu.inject(fault)
    conversation, client = await _start(alice)
    for done, line in enumerate(TYPED, start=2):
        await client.send(type="text", text=line)
        await client.until(lambda e, n=done: client.kinds().count("turn_complete") >= n, 30)
    await client.send(type="end")
    assert await client.closed(within=30) == 1000

    turns, _ = await _stored(conversation)
    assert [(source, text) for s, source, text in turns if s == "learner"] == [
        ("typed", line) for line in TYPED
    ]
    assert len(emu.sessions) >= 2  # the fault did cut the first reply


# Seeds whose draws put input pieces after turnComplete in these exchanges (the test checks).
@pytest.fixture(params=[6, 13], ids=lambda seed: f"seed{seed}")
async def holding_emulator(request: pytest.FixtureRequest) -> AsyncIterator[Emulator]:
    """Every piece drawn for after turnComplete waits for the learner's next input (late.py)."""
    behaviour = Behaviour(seed=request.param, deferred_chance=1.0, late_seconds=30.0)
    async with Emulator(pace=0, silence_ms=300, behaviour=behaviour) as emu:
        with override_settings(
            GOOGLE_GEMINI_BASE_URL=emu.base_url, GEMINI_CA_FILE=emu.ca_file, GEMINI_API_KEY=""
        ):
            upstream.client.cache_clear()
            yield emu
    upstream.client.cache_clear()


# The learner's audio goes faster than real time here: lift the per-second caps.
@override_settings(MAX_INBOUND_BYTES_PER_SECOND=10**9, MAX_INBOUND_FRAMES_PER_SECOND=10**6)
async def test_on_3_1_the_next_utterance_may_begin_before_the_last_line_is_whole(
    holding_emulator: Emulator, alice: User
) -> None:
    """3.1 sends no interactionStatus and may send a line's last words while the learner is
    already saying the next (late.py): each line is still one stored turn."""
    emu = holding_emulator
    with override_settings(GEMINI_LIVE_MODEL="gemini-3.1-flash-live-preview"):
        conversation, client = await _start(alice)
    said = ["Yo soy cansado hoy", "Ayer yo fui a la playa con mis amigos", "Me gusta el cine"]
    for replies, text in enumerate(said, start=2):  # each right after the last reply ends
        await client.speak(spanish_48k(text))
        await client.until(lambda e, n=replies: client.kinds().count("turn_complete") >= n, 30)
    await client.send(type="text", text="Adiós.")  # the next input: anything held comes now
    await _settled(client, emu, replies=5)
    await client.send(type="end")
    assert await client.closed() == 1000

    turns, notes = await _stored(conversation)
    record = emu.sessions[0]
    assert record.deferred_pieces > 0  # the case under test did happen
    learner = [(source, text) for s, source, text in turns if s == "learner"]
    assert learner == [("speech", t) for t in record.learner_turns[:3]] + [("typed", "Adiós.")]
    assert [s for s, _, _ in turns] == ["tutor", *["learner", "tutor"] * 4]
    assert notes == _expected_notes(emu, [1, 3, 5, 7])
