"""The teacher's assignment page while a learner talks: the evidence row fills in by itself,
target phrases and corrections included, with no reload (static/js/assignment_live.js)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from lessons.models import Assignment, Classroom, Topic
from lessons.services.conversations import conversation_start
from tests.e2e.browser import WAIT_MS, screenshot, signed_in_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assignment(alice: Any, bob: Any) -> Assignment:
    classroom = Classroom.objects.create(teacher=bob, name="Spanish 2B", language="es")
    classroom.learners.add(alice)
    topic = Topic.objects.create(
        slug="un-dia-largo",
        language="es",
        title="Un día largo",
        scenario="You meet a friend after a long day at work and tell them how you feel.",
        tutor_role="a friendly colleague",
        target_phrases=["trabajé mucho", "el fin de semana"],
    )
    return Assignment.objects.create(
        classroom=classroom, topic=topic, due_at=timezone.now() + timedelta(days=2)
    )


@pytest.mark.parametrize("codec", ["pcm"], indirect=True)  # the teacher's page plays no audio
def test_phrases_and_corrections_fill_in_while_the_learner_talks(
    server: str, launch: Callable[..., Browser], alice: Any, bob: Any, assignment: Assignment
) -> None:
    browser = launch(allow_mic=False)
    teacher = signed_in_page(browser, server, bob)
    teacher.goto(f"{server}/teach/assignments/{assignment.pk}/")
    expect(teacher.locator("[data-live-state]")).to_have_text("live", timeout=WAIT_MS)
    row = teacher.locator(f'tr[data-learner="{alice.pk}"]')
    expect(row.locator('[data-cell="corrections"]')).to_have_text("none")

    conversation = conversation_start(learner=alice, assignment=assignment)
    learner = signed_in_page(browser, server, alice)
    learner.goto(server + conversation.get_absolute_url())
    learner.click("#talk-button")  # no microphone here: the learner types over the socket
    learner.wait_for_function(
        "() => window.tertulia.captions.some((c) => c.speaker === 'tutor')", timeout=WAIT_MS
    )
    learner.locator("#typed").fill("Yo soy cansado hoy, trabajé mucho")
    learner.locator("#typed").press("Enter")

    used = row.locator('[data-cell="phrases"] .chip-used a')
    expect(used).to_have_text("trabajé mucho", timeout=WAIT_MS)
    href = used.get_attribute("href") or ""
    assert href.startswith(f"/teach/conversations/{conversation.pk}/#turn-")
    expect(row.locator('[data-cell="corrections"] .chip-kind')).to_have_text(
        "Grammar 1", timeout=WAIT_MS
    )
    expect(row.locator("[data-live-badge]")).to_be_visible()
    screenshot(teacher, "07-teacher-live-evidence")

    learner.click("#end-button")
    expect(row.locator("[data-live-badge]")).to_be_hidden(timeout=WAIT_MS)
    expect(row.locator('[data-cell="corrections"] .chip-kind')).to_have_text("Grammar 1")
    # After a reload, the server draws the same cells.
    cells = row.locator('[data-cell="phrases"]').inner_html()
    teacher.reload()
    expect(row.locator('[data-cell="phrases"] .chip-used a')).to_have_text("trabajé mucho")
    assert "trabajé mucho" in cells
