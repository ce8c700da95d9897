"""generate_text_reply (tutor/live/text_reply.py), the typed fallback's one call to Gemini, over
a scripted client (tests/fakes.py). The 3 s bound over real sockets is
tests/tutor/test_typed_fallback_bound.py."""

from __future__ import annotations

import pytest

from tests.fakes import FakeLiveClient, closed
from tutor.live.text_reply import TEXT_TIMEOUT, TutorUnavailable, generate_text_reply


async def reply(client: FakeLiveClient, message: str = "hola") -> str:
    """A reply's words to `message` with no history and a placeholder model and instruction."""
    answer = await generate_text_reply(
        client,  # type: ignore[arg-type]
        model="m",
        system_instruction="s",
        history=[],
        message=message,
    )
    return answer.text


async def test_text_replies_send_history_as_user_and_model_turns() -> None:
    client = FakeLiveClient()
    answer = await generate_text_reply(
        client,  # type: ignore[arg-type]
        model="gemini-3.5-flash",
        system_instruction="Eres un tutor.",
        history=[("tutor", "¡Hola!"), ("learner", "Hola, soy Ana")],
        message="¿Cómo estás?",
    )
    assert answer.text == "¡Muy bien!"
    [call] = client.models.calls
    assert call["model"] == "gemini-3.5-flash"
    assert [(c.role, c.parts[0].text) for c in call["contents"]] == [
        ("model", "¡Hola!"),
        ("user", "Hola, soy Ana"),
        ("user", "¿Cómo estás?"),
    ]
    assert call["config"].system_instruction == "Eres un tutor."


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (closed(400, {"error": {"message": "API key not valid.", "status": "INVALID_ARGUMENT"}}),
         "upstream_auth"),
        (closed(429, {"error": {"message": "Quota exceeded", "status": "RESOURCE_EXHAUSTED"}}),
         "upstream_quota"),
        (closed(503, {"error": {"message": "overloaded", "status": "UNAVAILABLE"}}),
         "upstream_unavailable"),
        (ConnectionRefusedError(111, "refused"), "upstream_unavailable"),
    ],
)  # fmt: skip
async def test_text_reply_failures_become_tutor_unavailable(
    failure: BaseException, code: str
) -> None:
    client = FakeLiveClient()
    client.models.reply = failure
    with pytest.raises(TutorUnavailable) as caught:
        await reply(client)
    assert caught.value.code == code


async def test_the_call_asks_the_sdk_for_one_attempt_and_a_request_timeout() -> None:
    """The SDK's own settings bound each request, not only our outer asyncio timeout."""
    client = FakeLiveClient()
    await reply(client)
    options = client.models.calls[0]["config"].http_options
    assert options.retry_options.attempts == 1
    assert options.timeout == TEXT_TIMEOUT * 1000 < 3000
