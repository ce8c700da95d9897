"""The review page's summary in Chromium: its links lead to the turns they name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from accounts.models import User
from tests.e2e.browser import screenshot, signed_in_page
from tests.lessons.learner_data import make_conversation, make_topic

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def codec() -> str:
    """A page without audio: one browser run is enough."""
    return "opus"


def test_a_target_phrase_link_leads_to_the_turn_that_used_it(
    server: str, launch: Callable[..., Browser], alice: User
) -> None:
    topic = make_topic(
        "En la farmacia",
        learner_goal="Explain your symptoms and buy something for them.",
        target_phrases=["me duele la cabeza", "¿tiene algo para", "una receta"],
    )
    conversation = make_conversation(
        alice,
        topic=topic,
        turns=[
            ("tutor", "Buenas tardes, ¿qué le pasa?"),
            ("learner", "Hola, me duele la cabeza mucho"),
            ("tutor", "¿Desde cuándo?"),
            ("learner", "Desde ayer. Yo soy cansado también"),
            ("tutor", "Vale. ¿Algo más?"),
            ("learner", "¿Tiene algo para dormir?"),
            ("tutor", "Sí, esto le ayudará."),
            ("learner", "Yo quiero pagar con tarjeta"),
        ],
        corrections=[
            (3, "Yo soy cansado", "Estoy cansado", "grammar"),
            (7, "Yo quiero pagar", "Quiero pagar", "grammar"),
        ],
    )
    make_topic("En el mercado")
    page = signed_in_page(launch(allow_mic=False), server, alice)
    page.goto(server + reverse("learn:conversation_review", args=[conversation.pk]))
    expect(page.locator(".goal-verdict")).to_contain_text("Goal met")
    screenshot(page, "review-summary")
    page.locator(".after-targets .turn-link").nth(1).click()
    expect(page.locator("#turn-5")).to_be_in_viewport()
    assert page.evaluate("() => location.hash") == "#turn-5"
