"""A line typed into a room (a member without a microphone, or text mode) takes no floor, so
the runtime tells the tutor whose it is before it goes up; the tutor answers the typist by name,
and the next spoken line is announced as its speaker's again."""

from __future__ import annotations

from tests.tutor.conftest import SOCKET_TEST, final
from tests.tutor.group.test_room_socket import _open, _room, _turn
from tutor.emulator import Emulator
from tutor.emulator.group import lines_for

pytestmark = SOCKET_TEST


async def test_the_tutor_answers_a_typed_line_by_its_typists_name(emulator: Emulator) -> None:
    room, (ana, ben, cruz) = await _room(3)
    pages = await _open(room, [ana, ben, cruz])
    await _turn(pages[0], pages)  # Ana speaks: the tutor was told she holds the floor

    typist = pages[2]
    await typist.send(type="text", text="Yo vivo en Sevilla con mi hermana")
    line = await pages[0].until(
        lambda e: final("learner")(e) and e["text"] == "Yo vivo en Sevilla con mi hermana",
        within=30,
    )
    assert line["member"] == {"id": cruz.pk, "name": "Cruz"}
    reply = await pages[0].until(
        lambda e: final("tutor")(e) and e["turn"] > line["turn"], within=30
    )
    # The emulator's moderator thanks whoever the last contextUpdate says speaks now.
    assert reply["text"].startswith(lines_for("es").thanks.format(name="Cruz")), reply["text"]

    await _turn(pages[0], pages)  # and Ana's next spoken line is hers again
