"""A voice per role, in Chromium: a teacher gives a role-play's persona a voice after hearing
it, and a learner who starts that role-play is answered in it (the emulator's record of the
Live session names the voice); a learner picks their own voice for free talk, on a phone."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from lessons.models import Conversation, Topic, VoicePreview
from tests.base import Personas
from tests.e2e.browser import PHONE, WAIT_MS, EmulatorControl, screenshot, signed_in_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def codec() -> str:
    """The voice is chosen before any audio flows: one codec is enough."""
    return "opus"


def _hear(page: Page, voice: str, language: str) -> None:
    """Choose `voice` and play its sample from the keyboard; wait until it has played out."""
    page.select_option("#id_" + _voice_field(page), voice)
    button = page.get_by_role("button", name="Hear this voice")
    button.focus()
    page.keyboard.press("Enter")
    status = page.locator("[data-voice-status]")
    expect(status).to_have_text(f"{voice}: sample finished.", timeout=WAIT_MS)
    field = page.locator("[data-voice-preview]")
    expect(field).to_have_attribute("data-played-voice", voice)
    expect(field).to_have_attribute("data-played-language", language)
    assert status.get_attribute("role") == "status"


def _voice_field(page: Page) -> str:
    return "voice" if page.locator("#id_voice").count() else "tutor_voice"


def _tutor_speaks(page: Page) -> None:
    page.click("#talk-button")
    page.wait_for_function(
        "() => window.tertulia.captions.some((c) => c.speaker === 'tutor')", timeout=WAIT_MS
    )


def _last_session(control: EmulatorControl) -> dict[str, Any]:
    return control.sessions()[-1]


def test_a_teacher_hears_and_picks_a_personas_voice_and_the_learner_is_answered_in_it(
    server: str,
    launch: Callable[..., Browser],
    emulator_control: EmulatorControl,
    personas: Personas,
) -> None:
    browser = launch()
    page = signed_in_page(browser, server, personas.bob)
    page.goto(server + "/teach/topics/new/")
    page.fill("#id_title", "En la farmacia")
    page.select_option("#id_language", "es")
    page.fill("#id_scenario", "Te duele la cabeza y entras en una farmacia de Sevilla.")
    page.fill("#id_tutor_role", "una farmacéutica amable")
    page.fill("#id_persona_name", "Carmen")
    page.fill("#id_learner_goal", "Explicar qué te pasa y comprar algo para el dolor.")
    page.fill("#id_phrases", "Me duele la cabeza.\n¿Cuánto cuesta?")
    _hear(page, "Despina", "es")
    # The sample was spoken once by the TTS model (here the emulator) and kept.
    assert list(VoicePreview.objects.values_list("voice", "language")) == [("Despina", "es")]
    _hear(page, "Fenrir", "es")
    page.select_option("#id_voice", "Despina")
    screenshot(page, "voices-topic-form")
    page.get_by_role("button", name="Save topic").click()
    page.wait_for_url("**/teach/topics/")
    topic = Topic.objects.get(author=personas.bob, title="En la farmacia")
    assert (topic.persona_name, topic.voice) == ("Carmen", "Despina")
    page.goto(server + f"/teach/classrooms/{personas.classroom.pk}/assign/?topic={topic.pk}")
    page.get_by_role("button", name="Assign").click()
    page.wait_for_url("**/teach/assignments/*/")

    learner = signed_in_page(browser, server, personas.alice)
    learner.goto(server + "/home/")
    learner.get_by_role("button", name=re.compile(r"^Start\W+En la farmacia$")).click()
    learner.wait_for_url("**/conversations/*/")
    _tutor_speaks(learner)
    session = _last_session(emulator_control)
    assert (session["voice"], session["language"]) == ("Despina", "es")
    conversation = Conversation.objects.get(topic=topic)
    assert conversation.voice == "Despina"


def test_a_learner_picks_a_free_talk_voice_on_a_phone(
    server: str,
    launch: Callable[..., Browser],
    emulator_control: EmulatorControl,
    personas: Personas,
) -> None:
    page = signed_in_page(launch(), server, personas.alice)
    page.set_viewport_size(PHONE)
    page.goto(server + "/me/")
    _hear(page, "Sulafat", "es")
    # On a phone the choice and its button fit the screen.
    for selector in ("#id_tutor_voice", "[data-voice-play]"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "voices-profile")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    personas.alice.refresh_from_db()
    assert personas.alice.tutor_voice == "Sulafat"

    page.goto(server + "/home/")
    page.get_by_role("button", name="Free conversation").click()
    page.wait_for_url("**/conversations/*/")
    _tutor_speaks(page)
    session = _last_session(emulator_control)
    assert (session["voice"], session["language"]) == ("Sulafat", "es")
