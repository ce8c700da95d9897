"""The offline demo tutor plays a teacher's own role-play, in Chromium: the teacher writes it
and assigns it, a learner of the classroom opens it, hears its opening line and ticks a target
phrase by speaking. The emulator cannot recognise speech: it "hears" the scene's next target
phrase, which it read, like everything else it says, from the system instruction."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from lessons.models import Assignment, Correction, Topic, Turn
from tests.base import Personas
from tests.e2e.browser import WAIT_MS, debug_state, screenshot, signed_in_page
from tutor.emulator.roleplay import lines_for
from tutor.emulator.turns import WPM
from tutor.emulator.voice import synthesize

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OPENER = "Buenas tardes, soy Carmen. ¿Qué le pasa?"
PHRASES = ["Buenas tardes.", "Me duele la cabeza.", "¿Tiene algo para el dolor?", "¿Cuánto cuesta?"]


def _write_and_assign(page: Page, server: str, personas: Personas) -> Topic:
    page.goto(server + "/teach/topics/new/")
    page.fill("#id_title", "En la farmacia")
    page.select_option("#id_language", "es")
    page.select_option("#id_level_min", "A1")
    page.select_option("#id_level_max", "B1")
    page.fill("#id_scenario", "Te duele la cabeza y entras en una farmacia de Sevilla.")
    page.fill("#id_tutor_role", "Carmen, una farmacéutica amable")
    page.fill("#id_learner_goal", "Explicar qué te pasa y comprar algo para el dolor.")
    page.fill("#id_phrases", "\n".join(PHRASES))
    page.fill("#id_opener", OPENER)
    page.get_by_role("button", name="Save topic").click()
    topic = Topic.objects.get(author=personas.bob, title="En la farmacia")
    page.goto(server + f"/teach/classrooms/{personas.classroom.pk}/assign/?topic={topic.pk}")
    page.get_by_role("button", name="Assign").click()
    page.wait_for_url("**/teach/assignments/*/")
    return topic


def test_a_teachers_role_play_opens_with_its_line_and_ticks_a_phrase_from_speech(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    personas: Personas,
) -> None:
    greeting = f"{lines_for('es').notice} {OPENER}"
    # The learner waits for the whole greeting (real-time voice) before speaking, so the
    # opening line is heard to the end rather than cut off by a barge-in.
    lead = len(synthesize(greeting, "es", 24000, WPM["A"])) / 48000 + 2.0
    browser = launch(speech_wav("Buenas tardes, me duele mucho la cabeza.", lead))
    topic = _write_and_assign(signed_in_page(browser, server, personas.bob), server, personas)
    assert (topic.opener, topic.target_phrases) == (OPENER, PHRASES)

    page = signed_in_page(browser, server, personas.alice)
    page.goto(server + "/home/")
    page.get_by_role("button", name=re.compile(r"^Start\W+En la farmacia$")).click()
    page.wait_for_url("**/conversations/*/")
    page.click("#talk-button")

    opening = page.locator(".turn-tutor[data-turn]").first.locator(".turn-text")
    expect(opening).to_have_text(greeting, timeout=WAIT_MS)
    learner = page.locator(".turn-learner[data-turn]").first
    expect(learner.locator(".turn-text")).to_have_text(PHRASES[0], timeout=WAIT_MS)
    expect(page.locator(".target.used")).to_have_text([f"{PHRASES[0]} — used"])
    expect(page.locator("#targets-count")).to_have_text("1 of 4")
    page.wait_for_function(
        "() => window.tertulia.captions.filter((c) => c.speaker === 'tutor').length >= 2",
        timeout=WAIT_MS,
    )
    # The next phrase, typed with the kind of error the scene plants: the tutor corrects it.
    page.fill("#typed", "Me duele el cabeza")
    page.press("#typed", "Enter")
    typed = page.locator(".turn-learner[data-turn]").nth(1)
    expect(typed.locator(".correction del")).to_have_text("el", timeout=WAIT_MS)
    expect(typed.locator(".correction ins")).to_have_text("la")
    screenshot(page, "09-teachers-role-play")

    assignment = Assignment.objects.get(topic=topic)
    turns = Turn.objects.filter(conversation__assignment=assignment).order_by("ordinal")
    assert [(t.speaker, t.source, t.text) for t in turns[:2]] == [
        ("tutor", "speech", greeting),
        ("learner", "speech", PHRASES[0]),
    ]
    assert Correction.objects.filter(
        turn__conversation__assignment=assignment, corrected="Me duele la cabeza"
    ).exists()
    assert debug_state(page)["mic"] == "on"
