"""A new learner finds their level by speaking, in Chromium with the offline demo tutor: they
sign up, choose the spoken placement at onboarding, answer the tutor (first by voice through
the fake microphone, then typed) until it has found their level, see a level per skill with
their own turns quoted, confirm a level, and find it on their profile.

The demo tutor cannot recognise speech: for the spoken answer it "hears" its placement
script's demo learner (tutor/emulator/placement/es.py). The typed answers are real text, and
the tutor moves up or down by how well they hold up."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from lessons.models import PlacementQuote, PlacementResult, Turn
from lessons.services.conversations import conversation_finish, conversation_record_turn
from lessons.services.placement import placement_start
from tests.base import Personas
from tests.e2e.browser import DESKTOP, PHONE, WAIT_MS, screenshot, signed_in_page
from tutor.emulator.dialogue import new_state, plan_greeting
from tutor.emulator.placement import load
from tutor.emulator.turns import WPM
from tutor.emulator.voice import synthesize
from tutor.prompts import LearnerBrief, placement_instruction

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCRIPT = load("es")
NAME = "Noa"
EMAIL = "noa@example.org"
PASSWORD = "a long enough passphrase 42"
# Typed answers, each long enough for the level it answers (tutor/emulator/placement/).
B1_TRIP = "El verano pasado fui a Sevilla con mi madre y comimos tapas en una plaza preciosa."
B1_WHY = "Porque hacía mucho calor pero la ciudad era muy bonita y la gente muy amable."
GUESS = "No sé."


def _greeting() -> str:
    brief = LearnerBrief(NAME, "es", "en", "A2", "recast")
    return plan_greeting(new_state(None, placement_instruction(brief))).reply


def _sign_up(page: Page, server: str) -> None:
    page.goto(server + "/accounts/signup/")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.fill("input[name=display_name]", NAME)
    page.get_by_role("button", name=re.compile("Sign up|Create", re.I)).click()
    page.wait_for_url("**/welcome/**")
    page.get_by_text("I'm learning a language").click()
    page.select_option("#id_native_language", "en")
    page.select_option("#id_target_language", "es")
    page.check("input[name=level][value=A2]")
    page.get_by_role("button", name="Find my level by speaking (about 4 minutes)").click()
    page.wait_for_url("**/learn/placement/")


def _tutor_says(page: Page, index: int, text: str) -> None:
    line = page.locator(".turn-tutor[data-turn]").nth(index).locator(".turn-text")
    expect(line).to_have_text(text, timeout=WAIT_MS)


def _type(page: Page, text: str) -> None:
    page.fill("#typed", text)
    page.press("#typed", "Enter")


def test_a_new_learner_is_placed_by_speaking_and_confirms_a_level(
    server: str, launch: Callable[..., Browser], speech_wav: Callable[[str, float], Path]
) -> None:
    greeting = _greeting()
    # The learner speaks once the whole greeting has played (a real-time voice), with room
    # for a slow start on a loaded machine, so the greeting is heard to the end, not cut off.
    lead = len(synthesize(greeting, "es", 24000, WPM["A"])) / 48000 + 5.0
    browser = launch(speech_wav("Los sábados voy al mercado con mi familia.", lead))
    page = browser.new_context(viewport=DESKTOP).new_page()
    _sign_up(page, server)
    expect(page.get_by_role("heading", name="Find your level by speaking")).to_be_visible()
    page.get_by_role("button", name="Start the placement").click()
    page.wait_for_url("**/conversations/*/")
    expect(page.get_by_role("heading", name="Find your level")).to_be_visible()
    page.click("#talk-button")

    a2, b1 = SCRIPT.probes["A2"], SCRIPT.probes["B1"]
    _tutor_says(page, 0, greeting)
    # Spoken: the demo tutor "hears" its demo learner's A2 answer and asks a follow-up.
    learner = page.locator(".turn-learner[data-turn]").first.locator(".turn-text")
    expect(learner).to_have_text(a2.answer, timeout=WAIT_MS)
    _tutor_says(page, 1, f"{SCRIPT.ack} {a2.followup}")
    # Typed from here: the follow-up holds up, so the tutor moves up to B1 and asks again.
    _type(page, "Con mi hermana, porque hablamos mucho.")
    _tutor_says(page, 2, f"{SCRIPT.ack} {b1.question}")
    _type(page, B1_TRIP)
    _tutor_says(page, 3, f"{SCRIPT.ack} {b1.followup}")
    _type(page, B1_WHY)
    _tutor_says(page, 4, f"{SCRIPT.ack} {SCRIPT.probes['B2'].question}")
    _type(page, GUESS)  # a guess at B2 does not hold up: B1 is the level, and it stops
    _tutor_says(page, 5, SCRIPT.closing)
    assert page.locator(".correction").count() == 0  # a placement never corrects
    screenshot(page, "12-placement-conversation")

    page.get_by_role("button", name="Finish and see my level").click()
    page.wait_for_url("**/learn/placement/*/", timeout=WAIT_MS)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Your level: [ABC][12]$"), timeout=WAIT_MS)
    skills = page.locator(".placement-skill")
    expect(skills).to_have_count(4)
    for label in ("Range", "Accuracy", "Fluency", "Interaction"):
        expect(page.locator(".placement-skill-name", has_text=label)).to_be_visible()
    result = PlacementResult.objects.get(learner__email=EMAIL)
    assert result.status == "ready" and result.declared_level == "A2"
    said = {
        t.ordinal: t.text
        for t in Turn.objects.filter(conversation=result.conversation, speaker="learner")
    }
    assert list(said.values()) == [
        a2.answer,
        "Con mi hermana, porque hablamos mucho.",
        B1_TRIP,
        B1_WHY,
        GUESS,
    ]
    quotes = PlacementQuote.objects.filter(skill__result=result).select_related("turn")
    assert quotes and all(q.quote in said[q.turn.ordinal] for q in quotes)
    # A quote leads to the turn it quotes in the transcript below.
    first = page.locator(".placement-quote").first
    target = first.get_attribute("href")
    assert target and re.fullmatch(r"#turn-\d+", target)
    first.click()
    expect(page.locator(target)).to_be_in_viewport()
    expect(page.locator(f"{target} .turn-text")).to_have_text(said[int(target[6:])])
    screenshot(page, "12-placement-result")

    suggested = result.suggested_level
    expect(page.locator(f"input[name=level][value={suggested}]")).to_be_checked()
    page.check("input[name=level][value=B1]")
    page.get_by_role("button", name="Use this level").click()
    page.wait_for_url("**/me/")
    expect(page.locator("input[name=level][value=B1]")).to_be_checked()
    expect(page.get_by_role("link", name="Take the placement again")).to_be_visible()
    assert User.objects.get(email=EMAIL).level == "B1"
    result.refresh_from_db()
    assert result.confirmed_level == "B1"


def test_the_teacher_sees_a_learners_placement_with_its_evidence(
    server: str, launch: Callable[..., Browser], personas: Personas
) -> None:
    """alice's ended placement is assessed when she opens its result (the page asks by
    itself); bob, her teacher, then finds it on her page, each quote leading to its turn."""
    alice, bob = personas.alice, personas.bob
    result = placement_start(learner=alice)
    conversation = result.conversation
    for speaker, text in [
        ("tutor", "¿Qué haces normalmente un sábado?"),
        ("learner", SCRIPT.probes["A2"].answer),
        ("tutor", "¿Con quién lo haces?"),
        ("learner", B1_TRIP),
    ]:
        conversation_record_turn(conversation_id=conversation.pk, speaker=speaker, text=text)
    conversation_finish(conversation_id=conversation.pk, reason="learner_ended")
    browser = launch()
    page = signed_in_page(browser, server, alice)
    page.goto(server + reverse("learn:placement_result", args=[result.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Your level: [ABC][12]$"), timeout=WAIT_MS
    )

    teacher = signed_in_page(browser, server, bob)
    teacher.goto(server + reverse("teach:learner", args=[personas.classroom.pk, alice.pk]))
    section = teacher.locator("#placement")
    expect(section.locator(".placement-skill")).to_have_count(4)
    expect(section).to_contain_text("suggested")
    quote = section.locator(".placement-quote").first
    quote.focus()
    teacher.keyboard.press("Enter")  # by keyboard, to the full placement page
    teacher.wait_for_url("**/placement/#turn-*")
    ordinal = teacher.url.rsplit("#turn-", 1)[1]
    expect(teacher.locator(f"#turn-{ordinal}")).to_be_in_viewport()
    expect(teacher.locator(f"#turn-{ordinal} .turn-who")).to_contain_text(alice.name)
    teacher.set_viewport_size(PHONE)
    wide = teacher.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    assert not wide  # nothing cut off on a phone
    screenshot(teacher, "12-placement-teacher")
