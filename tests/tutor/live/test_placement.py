"""The spoken placement's assessment call (tutor/live/placement.py) against the emulator,
through the real SDK."""

from __future__ import annotations

import pytest

from tests.tutor.emulator.conftest import make_client
from tutor.emulator import Emulator
from tutor.live.placement import ASSESS_UNAVAILABLE, TutorUnavailable, assess_placement
from tutor.live.texts import REFUSED
from tutor.prompts import assessment_instruction, assessment_request

TURNS = [
    (0, "tutor", "¿Qué haces normalmente un sábado?"),
    (1, "learner", "Los sábados voy al mercado y después como con mi familia."),
    (2, "tutor", "¿Con quién lo haces?"),
    (3, "learner", "Con mi hermana."),
]


async def test_the_assessment_comes_back_as_json_in_the_schema(emulator: Emulator) -> None:
    data = await assess_placement(
        make_client(emulator),
        model="gemini-3.5-flash",
        system_instruction=assessment_instruction("es"),
        request=assessment_request(language="es", level="A2", turns=TURNS),
    )
    assert set(data) == {"skills", "suggested_level", "summary"}
    assert {s["skill"] for s in data["skills"]} == {"range", "accuracy", "fluency", "interaction"}
    assert all(q["turn"] in (1, 3) for s in data["skills"] for q in s["quotes"])


async def test_a_request_the_model_refuses_says_so(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    """A 400 is fatal (tutor.live.config.classify): trying again would not help. The learner
    reads our sentence for a refusal; the service's reason is in the log."""
    caplog.set_level("INFO", logger="tutor.live.placement")
    with pytest.raises(TutorUnavailable) as refused:
        await assess_placement(
            make_client(emulator),
            model="gemini-3.5-flash",
            system_instruction=assessment_instruction("es"),
            request=assessment_request(language="es", level="A2", turns=TURNS[:1]),
        )
    assert (str(refused.value), refused.value.code) == (REFUSED, "upstream_config")
    assert "HTTP 400" in caplog.text and "no learner turn" in caplog.text


async def test_an_unreachable_gemini_is_a_safe_message(emulator: Emulator) -> None:
    client = make_client(emulator)
    await emulator.stop()
    with pytest.raises(TutorUnavailable) as failed:
        await assess_placement(
            client,
            model="gemini-3.5-flash",
            system_instruction=assessment_instruction("es"),
            request=assessment_request(language="es", level="A2", turns=TURNS),
        )
    assert str(failed.value) == ASSESS_UNAVAILABLE
    assert "test-key" not in str(failed.value)
