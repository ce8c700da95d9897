"""`manage.py demo_group` (tutor/management/commands/demo_group.py): three demo learners talk
in a room on a real Daphne with the emulator behind it, and the command's checks of every
member's copy in PostgreSQL pass; the same checks catch a copy that differs from the room."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from lessons.models import GroupRoom, Turn
from lessons.services import groups as services
from tests.servers import adaphne, server_env
from tests.subprocess_db import database_url
from tutor.emulator import Emulator
from tutor.management.commands.demo_group import Command, Demo, Page, open_room

pytestmark = pytest.mark.django_db(transaction=True)
T = TypeVar("T")


@pytest.mark.asyncio
async def test_three_learners_talk_and_every_copy_checks_out(
    emulator: Emulator, tmp_path: Path
) -> None:
    env = server_env(
        database_url=database_url(),
        emulator={"GOOGLE_GEMINI_BASE_URL": emulator.base_url, "SSL_CERT_FILE": emulator.ca_file},
        extra={"TERTULIA_TESTING": "1"},
    )
    out = io.StringIO()
    async with adaphne(env, log=tmp_path / "daphne.log") as server:
        await _in_thread(
            lambda: call_command("demo_group", "--url", server.url, "--minutes", "0.1", stdout=out)
        )
    report = out.getvalue()
    assert "OK: every line in every copy once, in order, attributed" in report
    assert "[Ben and Cruz start talking at once]" in report
    assert "(floor: Ben; waiting: Cruz)" in report
    assert "[Cruz types]" in report
    assert "✎ to Cruz only: Me gusta escuchar a la música cuando cocino." in report
    for name in ("Ana", "Ben", "Cruz"):
        assert f"\n  {name:5} " in report  # a talk-time row each
    room = await _in_thread(lambda: GroupRoom.objects.get())
    assert room.status == GroupRoom.Status.ENDED
    stored = await _in_thread(
        lambda: set(
            Turn.objects.filter(conversation__group_room=room, speaker="peer").values_list(
                "speaker_name", flat=True
            )
        )
    )
    assert stored == {"Ana", "Ben", "Cruz"}


async def _in_thread(work: Callable[[], T]) -> T:
    """`work` on a thread of its own (the command runs its own event loop), whose database
    connection is closed after, so the test database can be dropped."""

    def run() -> T:
        try:
            return work()
        finally:
            connections.close_all()

    return await asyncio.to_thread(run)


def _said(page: Page, turn: int, who: Page | None, text: str) -> None:
    member = None if who is None else {"id": who.learner_id, "name": who.name}
    page.events.append(
        {
            "type": "transcript",
            "final": True,
            "turn": turn,
            "text": text,
            "speaker": "tutor" if who is None else "learner",
            "member": member,
        }
    )


def test_a_line_missing_from_a_copy_is_a_mismatch() -> None:
    room, pages = open_room(3)
    ana, ben, _ = pages
    said = services.group_record_turn(
        room_id=room.pk,
        speaker_learner_id=ana.learner_id,
        text="Hola",
        started_ms=0,
        ended_ms=500,
    )
    assert len(said) == 3
    services.group_end(room_id=room.pk, reason="ended")
    demo = Demo("http://127.0.0.1", room, pages, 0, print)
    _said(ana, 1, ana, "Hola")
    out = io.StringIO()
    Command(stdout=out, stderr=out).verify(room, pages, demo)  # what was said is stored
    _said(ana, 2, ben, "Adiós")  # a line the room saw and no copy holds
    with pytest.raises(CommandError, match="3 mismatches"):
        Command(stdout=out, stderr=out).verify(room, pages, demo)
    assert "MISMATCH: Ben's copy: 1 turns stored, 2 said" in out.getvalue()
