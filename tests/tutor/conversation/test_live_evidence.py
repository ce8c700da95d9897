"""The teacher's live view gets a learner's target phrases and corrections as they happen: a
real conversation on an assignment (consumer, runtime, emulator), its activity read by the
teacher's socket. The row used to turn "Done" while its phrases and corrections still showed
"–" and "none" until a reload."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.urls import path
from django.utils import timezone

from accounts.models import User
from lessons.models import Assignment, Classroom, Topic
from lessons.selectors.evidence import live_evidence
from lessons.services.conversations import conversation_start
from tests.tutor.conftest import Client, final, finish_runtimes
from tutor.conversation.teacher_consumer import TeacherLiveConsumer
from tutor.emulator import Emulator

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

teacher_app = URLRouter([path("ws/assignments/<int:pk>/live/", TeacherLiveConsumer.as_asgi())])
SAID = "Yo soy cansado hoy, trabajé mucho"


@pytest.fixture(autouse=True)
def in_memory_layer(settings: Any) -> Iterator[None]:
    """The learner's runtime and the teacher's consumer share this process's layer."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
async def cleanup() -> AsyncIterator[None]:
    yield
    await finish_runtimes()
    await sync_to_async(connections.close_all)()


@database_sync_to_async
def _assignment() -> tuple[User, User, Assignment]:
    bob = User.objects.create_user(email="bob@example.org", role="teacher", onboarded=True)
    alice = User.objects.create_user(email="alice@example.org", display_name="Alice")
    classroom = Classroom.objects.create(teacher=bob, name="Spanish 2B", language="es")
    classroom.learners.add(alice)
    topic = Topic.objects.create(
        slug="dia",
        language="es",
        title="Un día largo",
        scenario="After work.",
        tutor_role="a colleague",
        target_phrases=["trabajé mucho", "el fin de semana"],
    )
    assignment = Assignment.objects.create(
        classroom=classroom, topic=topic, due_at=timezone.now() + timedelta(days=1)
    )
    return bob, alice, assignment


async def _until(teacher: WebsocketCommunicator, match: Any) -> dict[str, Any]:
    while True:
        message = await teacher.receive_json_from(timeout=15)
        if match(message):
            return message


def _used(message: dict[str, Any]) -> dict[str, int]:
    return {cell["phrase"]: cell["uses"] for cell in message.get("phrases", [])}


def _corrections(message: dict[str, Any]) -> dict[str, int]:
    return {kind: count for kind, _, count in message.get("corrections", [])}


async def test_phrases_and_corrections_reach_the_teacher_as_they_are_stored(
    emulator: Emulator,
) -> None:
    bob, alice, assignment = await _assignment()
    teacher = WebsocketCommunicator(teacher_app, f"/ws/assignments/{assignment.pk}/live/")
    teacher.scope["user"] = bob
    assert (await teacher.connect())[0]
    conversation = await database_sync_to_async(conversation_start)(
        learner=alice, assignment=assignment
    )
    learner = Client(conversation.pk, user=alice)
    await learner.connect()
    await learner.start()
    await learner.until(final("tutor"))
    await learner.send(type="text", text=SAID)

    # While it runs: the line's phrase once the line is stored, the correction once noted.
    used = await _until(teacher, lambda m: _used(m).get("trabajé mucho"))
    assert used["kind"] in ("turn", "noted")
    noted = await _until(teacher, lambda m: _corrections(m).get("grammar"))
    assert _corrections(noted) == {
        "grammar": 1, "vocabulary": 0, "pronunciation": 0, "register": 0, "upgrade": 0,
    }  # fmt: skip

    # At the end: everything, as the page renders it after a reload.
    await learner.send(type="end")
    ended = await _until(teacher, lambda m: m["kind"] == "ended")
    stored = await database_sync_to_async(live_evidence)(assignment.pk, alice.pk)
    assert {k: ended[k] for k in ("phrases", "corrections")} == stored
    [phrase, weekend] = ended["phrases"]
    assert (phrase["uses"], phrase["conversation"]) == (1, str(conversation.pk))
    assert SAID in phrase["text"]
    assert weekend == {
        "phrase": "el fin de semana",
        "uses": 0,
        "conversation": None,
        "turn": None,
        "text": "",
    }
    await teacher.disconnect()
