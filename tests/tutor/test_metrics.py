"""The metrics move when the things they count happen: a real conversation through the consumer,
the SDK and the emulator, the trial and typed-fallback pages, the write queue and the bridge's
buffer, each read back from /metrics as Prometheus would.

Counters are process-wide and other tests move them too, so each test compares a scrape
before with a scrape after.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from channels.db import database_sync_to_async
from django.db import OperationalError, connections
from django.test import AsyncClient, override_settings
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from accounts.models import User
from lessons.models import Conversation, Turn
from tests.tutor.conftest import Client, final, kind, spanish_48k
from tutor.conversation.writer import Writer
from tutor.emulator import Emulator, Fault
from tutor.live.uplink import Uplink

TOKEN = "metrics-test-token-0123456789"

pytestmark = [pytest.mark.asyncio]

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture(autouse=True)
def _token() -> Iterator[None]:
    with override_settings(METRICS_TOKEN=TOKEN):
        yield


@pytest.fixture(autouse=True)
async def _close_connections(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """The pages ran in Django's sync thread: close its connection so the test database can
    be dropped at the end. Only after tests with the database: in the others, touching that
    thread's connection (left by an earlier test) is refused."""
    yield
    if request.node.get_closest_marker("django_db"):
        await database_sync_to_async(connections.close_all)()


async def scrape() -> Samples:
    response = await AsyncClient().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    samples: Samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[sample.name, frozenset(sample.labels.items())] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


@database_sync_to_async
def _conversation(learner: User) -> Conversation:
    return Conversation.objects.create(learner=learner, language="es", level="A2")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_runtime_leaks")
async def test_a_spoken_conversation_with_a_goaway_moves_its_metrics(
    emulator: Emulator, alice: User
) -> None:
    emulator.inject(Fault(kind="goaway", after_turns=1))
    before = await scrape()
    conversation = await _conversation(alice)
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await client.start()
    await client.until(final("tutor"))
    during = await scrape()
    assert moved(before, during, "tertulia_active_conversations") == 1
    await client.speak(spanish_48k())
    learner = await client.until(final("learner"), within=30)
    await client.until(lambda e: final("tutor")(e) and e["turn"] > learner["turn"], within=30)
    await client.send(type="end")
    assert await client.closed() == 1000
    after = await scrape()
    assert moved(before, after, "tertulia_active_conversations") == 0
    assert value(after, "tertulia_write_queue_depth") == 0  # everything written
    # The reply to the learner's line: one time-to-first-audio observation at least.
    assert moved(before, after, "tertulia_first_audio_seconds_count") >= 1
    assert moved(before, after, "tertulia_first_audio_seconds_sum") > 0
    assert moved(before, after, "tertulia_live_reconnects_total", cause="go_away") == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_runtime_leaks")
@override_settings(RECONNECT_GRACE_SECONDS=60)
async def test_tutor_audio_with_no_page_to_hear_it_counts_as_dropped(
    emulator: Emulator, alice: User
) -> None:
    before = await scrape()
    conversation = await _conversation(alice)
    client = Client(conversation.pk, user=alice)
    await client.connect()
    await client.start()
    await client.until(kind("ready"))
    # The page leaves before the greeting is spoken; the runtime waits for it to come back.
    await client.disconnect()
    await _stored_tutor_line(conversation)
    after = await scrape()
    assert moved(before, after, "tertulia_frames_dropped_total", where="to_browser") >= 1


async def _stored_tutor_line(conversation: Conversation) -> None:
    exists = database_sync_to_async(
        Turn.objects.filter(conversation=conversation, speaker="tutor").exists
    )
    async with asyncio.timeout(30):
        while not await exists():  # noqa: ASYNC110 (the database has no event to wait on)
            await asyncio.sleep(0.05)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_runtime_leaks")
@override_settings(RECONNECT_GRACE_SECONDS=0, MAX_INBOUND_FRAMES_PER_SECOND=100)
async def test_a_socket_over_its_budget_counts_a_rate_limited_frame(
    emulator: Emulator, alice: User
) -> None:
    before = await scrape()
    conversation = await _conversation(alice)
    client = Client(conversation.pk, user=alice)
    await client.connect()
    for _ in range(1000):  # pings: far more than 2 s of 100 frames a second at once
        await client.send(type="ping")
    assert await client.closed() == 4429
    after = await scrape()
    assert moved(before, after, "tertulia_frames_dropped_total", where="rate_limited") == 1


@pytest.mark.django_db(transaction=True)
async def test_trial_starts_count_started_and_limited() -> None:
    before = await scrape()
    browser = AsyncClient()
    assert (await browser.post(reverse("tutor:trial"), {"language": "es"})).status_code == 302
    assert (await browser.post(reverse("tutor:trial"), {"language": "es"})).status_code == 302
    after = await scrape()
    assert moved(before, after, "tertulia_trial_starts_total", outcome="started") == 1
    assert moved(before, after, "tertulia_trial_starts_total", outcome="limited") == 1


@pytest.mark.django_db(transaction=True)
async def test_the_typed_fallback_counts_its_answers(emulator: Emulator, alice: User) -> None:
    before = await scrape()
    conversation = await _conversation(alice)
    browser = AsyncClient()
    await browser.aforce_login(alice)
    response = await browser.post(
        reverse("tutor:message", args=[conversation.pk]),
        {"text": "Yo soy cansado hoy"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    after = await scrape()
    assert moved(before, after, "tertulia_typed_fallback_messages_total", outcome="answered") == 1


async def test_the_write_queue_depth_and_retries_are_scraped() -> None:
    release = asyncio.Event()
    failures = [OperationalError("the database restarted")]

    async def blocked() -> None:
        await release.wait()

    async def flaky() -> None:
        if failures:
            raise failures.pop()

    writer = Writer(retry_delay=0.01)
    before = await scrape()
    writer.submit(blocked)
    writer.submit(flaky)
    writer.submit(flaky)
    queued = await scrape()
    assert moved(before, queued, "tertulia_write_queue_depth") == 3
    release.set()
    assert await writer.drain(within=10)
    await writer.close()
    after = await scrape()
    assert moved(before, after, "tertulia_write_queue_depth") == 0
    assert moved(before, after, "tertulia_write_retries_total") == 1


async def test_learner_audio_pushed_out_of_the_reconnect_buffer_counts_frames() -> None:
    before = await scrape()
    uplink = Uplink(limit=640, replay=0)  # room for one 20 ms frame at 16 kHz
    for _ in range(4):
        uplink.hold("audio", b"\1\0" * 320)
    after = await scrape()
    assert moved(before, after, "tertulia_frames_dropped_total", where="reconnect_buffer") == 3


async def test_handovers_are_exposed_for_each_kind_before_any_happens() -> None:
    samples = await scrape()
    for kind_ in ("handed_over", "took_over", "lease_expired"):
        assert ("tertulia_handovers_total", frozenset({("kind", kind_)})) in samples
