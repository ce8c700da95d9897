"""A frame the conversation socket refuses: the page reads our sentence for the problem in the
learner's own language (`message`), never the protocol's English rule, which goes out as
`detail` for whoever wrote the client."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.utils import translation

from lessons.services import conversations as services
from tests.base import make_user
from tests.tutor.conftest import SOCKET_TEST, Client
from tutor.conversation.protocol import CLOSE_BAD_FRAME, CLOSE_TOO_LARGE
from tutor.emulator import Emulator
from tutor.learner_texts import frame_problem_text

pytestmark = SOCKET_TEST


@pytest.mark.parametrize(
    ("frame", "problem", "code", "detail"),
    [
        ("{not json", "malformed", CLOSE_BAD_FRAME, "control messages must be JSON"),
        ('{"type": "text", "text": "' + "x" * 9000 + '"}', "too_large", CLOSE_TOO_LARGE, None),
    ],
    ids=["malformed", "too-large"],
)
async def test_a_refused_frame_is_explained_in_the_learners_language(
    emulator: Emulator, frame: str, problem: str, code: int, detail: str | None
) -> None:
    learner = await database_sync_to_async(make_user)(
        "greta@example.org", target_language="es", native_language="de"
    )
    conversation = await database_sync_to_async(services.conversation_start)(learner=learner)
    client = Client(conversation.pk, user=learner)
    await client.connect()
    await client.ws.send_to(text_data=frame)
    assert await client.closed() == code
    error = next(e for e in client.events if e["type"] == "error")
    with translation.override("de"):
        german = str(frame_problem_text(problem))  # type: ignore[arg-type]
    with translation.override("en"):
        english = str(frame_problem_text(problem))  # type: ignore[arg-type]
    assert german != english  # the catalog translates it
    assert (error["code"], error["message"]) == ("bad_frame", german)
    if detail is not None:
        assert error["detail"] == detail
