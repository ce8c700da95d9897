"""The teacher's live view socket: who may connect, and activity relayed end to end through the
channel layer (in memory, and once through Redis)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import channel_layers, get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.urls import path
from django.utils import timezone

from accounts.models import User
from lessons.models import Assignment, Classroom
from lessons.services.live_updates import group_name, publish_activity
from tests.base import make_topic
from tutor.channel_layers import redis_layer
from tutor.conversation.teacher_consumer import TeacherLiveConsumer

pytestmark = pytest.mark.django_db(transaction=True)

# The consumer alone (tutor.routing serves the same path; one test goes through tutor.asgi).
application = URLRouter([path("ws/assignments/<int:pk>/live/", TeacherLiveConsumer.as_asgi())])
REDIS = {"default": redis_layer("redis://127.0.0.1:6379/0")}
REDIS["default"]["CONFIG"]["prefix"] = "tertulia-test-teacher"


@pytest.fixture(autouse=True)
def fresh_layer(settings: Any) -> Iterator[None]:
    """A new in-memory layer per test (the layer object is cached per settings)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
async def close_thread_connections() -> AsyncIterator[None]:
    """database_sync_to_async keeps a connection open in its worker thread; close it, or the
    test database cannot be dropped at the end of the run."""
    yield
    await sync_to_async(connections.close_all)()


@database_sync_to_async
def _world() -> dict[str, Any]:
    bob = User.objects.create_user(email="bob@example.org", role="teacher", onboarded=True)
    alice = User.objects.create_user(email="alice@example.org", display_name="Alice")
    charlie = User.objects.create_user(email="charlie@example.org")
    olga = User.objects.create_user(email="olga@example.org", role="teacher")
    classroom = Classroom.objects.create(teacher=bob, name="Spanish 2B", language="es")
    classroom.learners.add(alice)
    topic = make_topic()
    assignment = Assignment.objects.create(
        classroom=classroom, topic=topic, due_at=timezone.now() + timedelta(days=1)
    )
    return {"bob": bob, "alice": alice, "charlie": charlie, "olga": olga, "assignment": assignment}


def _communicator(user: Any, assignment_id: int) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"/ws/assignments/{assignment_id}/live/")
    communicator.scope["user"] = user
    return communicator


async def _publish(assignment: Assignment, alice: User, kind: str, seconds: float = 0) -> None:
    await publish_activity(
        assignment_id=assignment.pk,
        learner_id=alice.pk,
        learner_name=alice.name,
        kind=kind,  # type: ignore[arg-type]
        speaking_seconds=seconds,
    )


async def test_the_teacher_receives_learner_activity() -> None:
    world = await _world()
    communicator = _communicator(world["bob"], world["assignment"].pk)
    connected, _ = await communicator.connect()
    assert connected
    await _publish(world["assignment"], world["alice"], "speaking", 42.123)
    message = await communicator.receive_json_from()
    assert message["type"] == "activity"
    assert (message["kind"], message["learner_name"], message["speaking_seconds"]) == (
        "speaking",
        "Alice",
        42.1,
    )
    assert message["learner_id"] == world["alice"].pk
    await communicator.disconnect()


async def test_activity_of_another_assignment_is_not_relayed() -> None:
    world = await _world()
    communicator = _communicator(world["bob"], world["assignment"].pk)
    await communicator.connect()
    await publish_activity(
        assignment_id=world["assignment"].pk + 1000,
        learner_id=1,
        learner_name="Someone",
        kind="turn",
    )
    assert await communicator.receive_nothing()
    await communicator.disconnect()


async def test_what_the_page_sends_is_ignored() -> None:
    world = await _world()
    communicator = _communicator(world["bob"], world["assignment"].pk)
    await communicator.connect()
    await communicator.send_to(text_data="{not json")
    await communicator.send_json_to({"type": "activity", "kind": "ended"})
    assert await communicator.receive_nothing()
    await _publish(world["assignment"], world["alice"], "ended", 61)
    assert (await communicator.receive_json_from())["kind"] == "ended"
    await communicator.disconnect()


async def _refused_with(communicator: WebsocketCommunicator) -> int:
    """The socket is accepted, then closed with a code the page can explain."""
    connected, _ = await communicator.connect()
    assert connected
    message = await communicator.receive_output(timeout=5)
    assert message["type"] == "websocket.close"
    return int(message["code"])


@pytest.mark.parametrize(
    ("who", "code"), [("anonymous", 4401), ("alice", 4403), ("charlie", 4403), ("olga", 4403)]
)
async def test_only_the_assignments_teacher_may_connect(who: str, code: int) -> None:
    world = await _world()
    user = AnonymousUser() if who == "anonymous" else world[who]
    assert await _refused_with(_communicator(user, world["assignment"].pk)) == code


async def test_an_unknown_assignment_is_refused_like_a_foreign_one() -> None:
    world = await _world()
    assert await _refused_with(_communicator(world["bob"], 999_999)) == 4403


async def test_a_teacher_who_became_a_learner_is_refused() -> None:
    world = await _world()
    bob = world["bob"]
    bob.role = "learner"
    await database_sync_to_async(bob.save)()
    assert await _refused_with(_communicator(bob, world["assignment"].pk)) == 4403


async def test_the_site_routes_the_live_view_and_signs_in_by_session_cookie() -> None:
    """Through tutor.asgi (origin check, AuthMiddlewareStack, tutor.routing), as in production."""
    from django.test import Client

    from tutor.asgi import application as site

    world = await _world()
    client = Client()
    await database_sync_to_async(client.force_login)(world["bob"])
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    origin = (b"origin", b"http://127.0.0.1")
    path_ = f"/ws/assignments/{world['assignment'].pk}/live/"
    communicator = WebsocketCommunicator(site, path_, headers=[origin, (b"cookie", cookie)])
    connected, _ = await communicator.connect()
    assert connected
    await _publish(world["assignment"], world["alice"], "turn", 3)
    assert (await communicator.receive_json_from())["kind"] == "turn"
    await communicator.disconnect()
    anonymous = WebsocketCommunicator(site, path_, headers=[origin])
    assert await _refused_with(anonymous) == 4401


async def test_publishing_with_no_listener_is_harmless(caplog: pytest.LogCaptureFixture) -> None:
    """Sent to the (empty) group without a warning, and not replayed to a teacher who opens
    the page later: the first message that teacher gets is the next activity."""
    world = await _world()
    layer = get_channel_layer()
    with mock.patch.object(layer, "group_send", wraps=layer.group_send) as group_send:
        await _publish(world["assignment"], world["alice"], "started")
    group_send.assert_awaited_once()
    assert group_send.await_args.args[0] == group_name(world["assignment"].pk)
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    communicator = _communicator(world["bob"], world["assignment"].pk)
    connected, _ = await communicator.connect()
    assert connected
    await _publish(world["assignment"], world["alice"], "speaking", 5)
    assert (await communicator.receive_json_from())["kind"] == "speaking"
    await communicator.disconnect()


async def test_a_broken_channel_layer_never_breaks_the_conversation(
    caplog: pytest.LogCaptureFixture,
) -> None:
    layer = mock.AsyncMock()
    layer.group_send.side_effect = ConnectionError("redis down")
    with mock.patch("lessons.services.live_updates.get_channel_layer", return_value=layer):
        await publish_activity(assignment_id=1, learner_id=2, learner_name="A", kind="turn")
    layer.group_send.assert_awaited_once()
    assert "not sent" in caplog.text


async def test_an_unknown_activity_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    await publish_activity(assignment_id=1, learner_id=2, learner_name="A", kind="dancing")  # type: ignore[arg-type]
    assert "unknown activity" in caplog.text


async def test_it_works_through_redis(settings: Any) -> None:
    settings.CHANNEL_LAYERS = REDIS
    channel_layers.backends.clear()
    assert type(get_channel_layer()).__name__ == "RedisChannelLayer"
    world = await _world()
    communicator = _communicator(world["bob"], world["assignment"].pk)
    connected, _ = await communicator.connect()
    assert connected
    await _publish(world["assignment"], world["alice"], "listening", 12)
    message = await communicator.receive_json_from(timeout=5)
    assert (message["kind"], message["speaking_seconds"]) == ("listening", 12.0)
    await communicator.disconnect()
    assert group_name(world["assignment"].pk) == f"assignment-{world['assignment'].pk}"
