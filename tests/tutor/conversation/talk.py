"""What the conversation tests share: a conversation to talk in, a page on it that has been
answered, and a conversation held line by line (`converse`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from channels.db import database_sync_to_async

from accounts.models import User
from lessons.models import Assignment, Conversation, Topic, Turn
from lessons.services import conversations as services
from tests.tutor.conftest import Client, final, kind
from tutor.emulator.roleplay import lines_for

GREETING_MARK = lines_for("es").notice  # said once, first, by the emulator's Spanish greeting
TYPED = ["Yo soy cansado hoy", "Mañana voy a la playa con mis amigos", "Me gusta mucho el café"]


@database_sync_to_async
def start_conversation(
    learner: User | None = None, *, topic: Topic | None = None, **fields: Any
) -> Conversation:
    """A learner's conversation (free talk unless given a topic or an `assignment`), or, with
    no learner, an anonymous trial in Spanish."""
    if learner is None:
        return services.conversation_start(
            learner=None, session_key="sess-1", ip="10.1.1.1", language="es", **fields
        )
    assignment: Assignment | None = fields.get("assignment")
    topic = topic or (assignment.topic if assignment else None)
    return services.conversation_start(learner=learner, topic=topic, **fields)


@database_sync_to_async
def saved(conversation: Conversation) -> tuple[Conversation, list[tuple[int, str, str]]]:
    """The conversation as the database has it now, and its turns: (ordinal, speaker, text)."""
    fresh = Conversation.objects.get(pk=conversation.pk)
    turns = Turn.objects.filter(conversation=conversation).order_by("ordinal")
    return fresh, list(turns.values_list("ordinal", "speaker", "text"))


async def join(
    conversation: Conversation,
    *,
    user: User | None = None,
    session: dict[str, Any] | None = None,
    greeting: bool = True,
    **start: str,
) -> Client:
    """A page on `conversation` that has sent `start` (48 kHz s16, or `codec="opus"`) and heard
    the greeting, or only `ready` when it comes back to a conversation already greeted."""
    client = Client(conversation.pk, user=user, session=session)
    await client.connect()
    await client.start(**start)
    await client.until(final("tutor") if greeting else kind("ready"), within=30)
    return client


async def exchange(client: Client, line: str | bytes) -> dict[str, Any]:
    """One learner line, typed (text) or spoken (48 kHz PCM16), and the tutor's answer to it.
    Returns the learner's final line."""
    if isinstance(line, str):
        await client.send(type="text", text=line)
        learner = await client.until(lambda e: final("learner")(e) and e["text"] == line)
    else:
        before = {e["turn"] for e in client.events if final("learner")(e)}
        await client.speak(line)
        learner = await client.until(
            lambda e: final("learner")(e) and e["turn"] not in before, within=30
        )
    await client.until(lambda e: final("tutor")(e) and e["turn"] > learner["turn"], within=30)
    return learner


async def converse(
    conversation: Conversation, lines: Sequence[str | bytes], *, end: bool = True, **who: Any
) -> Client:
    """The page a learner holds: greeted, each line answered in turn, then ended (1000)."""
    client = await join(conversation, **who)
    for line in lines:
        await exchange(client, line)
    if end:
        await client.send(type="end")
        assert await client.closed(within=30) == 1000
    return client


def assert_clean(
    conversation: Conversation, turns: list[tuple[int, str, str]], lines: list[str]
) -> None:
    """Every line stored once and in order, the greeting once, and the conversation ended."""
    assert [ordinal for ordinal, _, _ in turns] == list(range(len(turns))), "gaps in ordinals"
    learner = [text for _, speaker, text in turns if speaker == "learner"]
    assert learner == lines, "learner turns missing or duplicated"
    tutor = [text for _, speaker, text in turns if speaker == "tutor"]
    assert sum(GREETING_MARK in text for text in tutor) == 1, "greeted twice (or never)"
    assert len(tutor) >= len(lines) + 1
    assert conversation.status == "ended"
