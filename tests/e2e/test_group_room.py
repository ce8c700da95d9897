"""Three learners in one group room, each in their own Chromium with their own fake microphone
(the fake capture file is a flag of the browser process, so one launch per learner): the floor
passes between them, every page names the right speaker on every line, each learner's own
conversation holds their lines as theirs and the others' as peers', the tutor's notes are only
on the speaker's own copy, and a learner whose page closes and comes back loses nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from lessons.models import Correction, GroupRoom, Turn
from lessons.services import groups as services
from tests.base import make_user
from tests.e2e.browser import screenshot, signed_in_page
from tests.e2e.test_conversation_page import BLOCK_WEBSOCKETS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NAMES = ("Ana", "Ben", "Cruz")
LONG_MS = 90_000  # a whole room's exchange at real-time pace, three browsers on two cores


@pytest.fixture
def codec() -> str:
    """One codec here: three browsers are costly, and the socket's codecs are each tested on
    the conversation page and in tests/tutor/group/."""
    return "opus"


def _room() -> tuple[GroupRoom, list[Any]]:
    users = [
        make_user(f"{name.lower()}@example.org", display_name=name, target_language="es")
        for name in NAMES
    ]
    room = services.group_open(creator=users[0], language="es", level="A2")
    for user in users:
        services.group_join(room=room, learner=user)
    return room, users


def _join(browser: Browser, server: str, user: Any, room: GroupRoom) -> Page:
    page = signed_in_page(browser, server, user)
    page.goto(server + room.get_absolute_url())
    page.click("#talk-button")  # a real click: the tutor's voice may play
    page.wait_for_function("() => window.tertulia.state === 'live'", timeout=LONG_MS)
    return page


def _learner_lines(page: Page, count: int) -> list[dict[str, Any]]:
    """The page's first `count` settled learner captions, once it has them."""
    try:
        page.wait_for_function(
            "(n) => window.tertulia.captions.filter((c) => c.speaker === 'learner').length >= n",
            arg=count,
            timeout=LONG_MS,
        )
    except Exception:  # say what the page had, for the failure's report
        print(page.evaluate("() => [window.tertulia.captions, window.tertulia.events.join(' ')]"))
        raise
    lines: list[dict[str, Any]] = page.evaluate(
        "() => window.tertulia.captions.filter((c) => c.speaker === 'learner')"
    )
    return lines[:count]


def _answered(page: Page, count: int) -> None:
    """Until the tutor has answered the `count`-th learner line on this page."""
    page.wait_for_function(
        """(n) => {
          const lines = window.tertulia.captions;
          const learners = lines.map((c, i) => [c, i]).filter(([c]) => c.speaker === "learner");
          if (learners.length < n) return false;
          return lines.slice(learners[n - 1][1]).some((c) => c.speaker === "tutor");
        }""",
        arg=count,
        timeout=LONG_MS,
    )


def _stored_lines(conversation_id: Any, count: int) -> list[tuple[str, str]]:
    """(speaker, speaker_name) of a copy's learner and peer turns, once `count` are stored:
    the server writes them off the audio path, a moment after the page shows them."""
    deadline = time.monotonic() + 10
    while True:
        turns = list(
            Turn.objects.filter(conversation_id=conversation_id)
            .exclude(speaker=Turn.Speaker.TUTOR)
            .order_by("ordinal")
            .values_list("speaker", "speaker_name")
        )
        if len(turns) >= count or time.monotonic() > deadline:
            return turns
        time.sleep(0.2)


def test_three_learners_share_a_room(
    server: str, launch: Callable[..., Browser], speech_wav: Callable[[str, float], Path]
) -> None:
    room, (ana, ben, cruz) = _room()
    # Each says one line, at staggered times after their click: Ana after the greeting, Ben
    # once she has been answered, Cruz last. Cruz's page closes as soon as Ana's line shows and
    # comes back once the tutor has answered her: that answer was said while he was away.
    # (His fake microphone may start its file again when his new page asks for it, or go on
    # where it was: either way his line comes after his return.)
    browsers = {
        ana.pk: launch(speech_wav("Me gusta mucho el café", 9)),
        ben.pk: launch(speech_wav("Mañana voy a la playa con mis amigos", 26)),
        cruz.pk: launch(speech_wav("Yo soy cansado hoy", 44)),
    }
    pages = {user.pk: _join(browsers[user.pk], server, user, room) for user in (ana, ben, cruz)}
    presence = pages[ana.pk].evaluate("() => window.tertulia.members")
    assert {m["name"] for m in presence if m["present"]} == {"Ana", "Ben", "Cruz"}

    assert _learner_lines(pages[cruz.pk], 1)[0]["member"] == ana.pk
    pages[cruz.pk].close()  # Cruz's page goes away while the tutor answers Ana
    _answered(pages[ana.pk], 1)
    pages[cruz.pk] = _join(browsers[cruz.pk], server, cruz, room)  # and comes back
    assert _learner_lines(pages[ana.pk], 2)[1]["member"] == ben.pk

    said_by = [ana.pk, ben.pk, cruz.pk]
    for user in (ana, ben):
        lines = _learner_lines(pages[user.pk], 3)
        assert [line["member"] for line in lines] == said_by
        names = [
            "You" if who == user.pk else name for who, name in zip(said_by, NAMES, strict=True)
        ]
        assert [line["name"] for line in lines] == names
    # Cruz's new page starts from his return: Ben's line and his own, named as his.
    pages[cruz.pk].wait_for_function(
        "(me) => window.tertulia.captions.some((c) => c.member === me)",
        arg=cruz.pk,
        timeout=LONG_MS,
    )
    back = pages[cruz.pk].evaluate("() => window.tertulia.captions")
    learners = [(c["member"], c["name"]) for c in back if c["speaker"] == "learner"]
    assert learners[-2:] == [(ben.pk, "Ben"), (cruz.pk, "You")]
    floors = pages[ana.pk].evaluate(
        "() => window.tertulia.events.filter((e) => e === 'floor').length"
    )
    assert floors >= 6  # granted and freed for each of the three

    _answered(pages[ana.pk], 3)
    for user in (ana, ben, cruz):
        member = room.members.get(learner=user)
        turns = _stored_lines(member.conversation_id, len(said_by))
        expected = [
            ("learner", "") if who == user.pk else ("peer", name)
            for who, name in zip(said_by, NAMES, strict=True)
        ]
        assert turns == expected, user.name
        notes = Correction.objects.filter(turn__conversation_id=member.conversation_id)
        assert all(n.turn.speaker == Turn.Speaker.LEARNER for n in notes)
    # Cruz, away while the tutor answered Ana, has that answer all the same: he lost nothing.
    copies = {
        user.pk: list(
            Turn.objects.filter(conversation_id=room.members.get(learner=user).conversation_id)
            .order_by("ordinal")
            .values_list("speaker", "text")
        )
        for user in (ana, cruz)
    }
    tutor_lines = [[t for s, t in copy if s == "tutor"] for copy in copies.values()]
    # (The last answer may be stored between the two reads: compare what both have.)
    common = min(map(len, tutor_lines))
    assert tutor_lines[0][:common] == tutor_lines[1][:common] and common >= 3

    # Ana opened the room: her End ends it for everyone; then each learner's review shows
    # the others' lines under their names and notes only on their own lines.
    pages[ana.pk].click("#end-button")
    for user in (ben, cruz):
        pages[user.pk].wait_for_function("() => window.tertulia.state === 'ended'")
    pages[ana.pk].wait_for_url(f"**{room.get_absolute_url()}")
    assert GroupRoom.objects.get(pk=room.pk).status == GroupRoom.Status.ENDED
    for user in (ana, ben, cruz):
        member = room.members.get(learner=user)
        page = pages[user.pk]
        page.goto(server + reverse("learn:conversation_review", args=[member.conversation_id]))
        peers = [t.strip() for t in page.locator(".turn-peer .who").all_text_contents()]
        assert sorted(set(peers)) == sorted(n for n in NAMES if n != user.name)
        assert page.locator(".turn-peer .correction").count() == 0
        own = Correction.objects.filter(turn__conversation_id=member.conversation_id).count()
        assert page.locator(".turn-learner .correction:not(.correction-upgrade)").count() == own
    for browser in browsers.values():
        browser.close()


def _present(page: Page) -> set[str]:
    """The names the page's member list shows as here."""
    names = page.locator("#members li[data-present='true'] .member-name").all_text_contents()
    return {name.strip() for name in names}


def test_a_member_without_a_microphone_follows_the_room_and_types(
    server: str, launch: Callable[..., Browser], speech_wav: Callable[[str, float], Path]
) -> None:
    """Dana's browser has no microphone (no permission). Her page follows the room as soon as
    it opens, before she presses anything: she is shown here, sees Ana arrive and hold the
    floor, and Ana's spoken line captioned with Ana's name. Then she types: her line is
    captioned with her name on Ana's page, stored as hers in her copy and as a peer's in
    Ana's, and the tutor answers it."""
    room, (ana, *_others) = _room()
    dana = make_user("dana@example.org", display_name="Dana", target_language="es")
    services.group_join(room=room, learner=dana)
    page = signed_in_page(launch(None, allow_mic=False), server, dana)
    page.goto(server + room.get_absolute_url())
    page.wait_for_function("() => window.tertulia.state === 'listening'", timeout=LONG_MS)
    page.wait_for_function(
        "() => document.querySelectorAll('#members [data-present=true]').length === 1"
    )
    assert _present(page) == {"Dana"}
    ana_page = _join(launch(speech_wav("Me gusta mucho el café", 9)), server, ana, room)
    page.wait_for_function(
        "() => document.querySelectorAll('#members [data-present=true]').length === 2"
    )
    assert _present(page) == {"Ana", "Dana"}
    heard = _learner_lines(page, 1)[0]
    assert (heard["member"], heard["name"]) == (ana.pk, "Ana")
    assert page.locator("#captions .turn-peer .who").first.inner_text().strip() == "Ana"
    floors = page.evaluate("() => window.tertulia.events.filter((e) => e === 'floor').length")
    assert floors >= 2  # Ana's floor, granted and freed, drawn on a page that only listens
    assert page.evaluate("() => window.tertulia.state") == "listening"  # she pressed nothing
    _answered(page, 1)
    page.fill("#typed", "Hola a todos, yo vivo en Madrid")
    page.press("#typed", "Enter")
    page.wait_for_function("() => window.tertulia.state === 'live'", timeout=LONG_MS)
    line = _learner_lines(ana_page, 2)[1]
    assert (line["member"], line["name"]) == (dana.pk, "Dana")
    _answered(page, 2)
    assert page.input_value("#typed") == ""
    mine = [(c["turn"], c["member"]) for c in page.evaluate("() => window.tertulia.captions")]
    assert len(mine) == len({turn for turn, _ in mine})  # each line once
    assert [who for _, who in mine if who is not None] == [ana.pk, dana.pk]
    member = room.members.get(learner=dana)
    assert _stored_lines(member.conversation_id, 2) == [("peer", "Ana"), ("learner", "")]
    theirs = room.members.get(learner=ana)
    assert _stored_lines(theirs.conversation_id, 2) == [("learner", ""), ("peer", "Dana")]


def test_a_member_whose_websockets_are_blocked_types_and_reads_over_http(
    server: str, launch: Callable[..., Browser], speech_wav: Callable[[str, float], Path]
) -> None:
    """Dana's network blocks WebSockets: her page says so and switches to text. Her typed
    line reaches the room's one Live session (Ana talks in it), named on Ana's page; she reads
    the room by polling: Ana's spoken line with Ana's name, her own, and the tutor's answers."""
    room, (ana, *_others) = _room()
    dana = make_user("dana@example.org", display_name="Dana", target_language="es")
    services.group_join(room=room, learner=dana)
    ana_page = _join(launch(speech_wav("Me gusta mucho el café", 6)), server, ana, room)
    page = signed_in_page(launch(None, allow_mic=False), server, dana)
    page.add_init_script(BLOCK_WEBSOCKETS)
    page.goto(server + room.get_absolute_url())
    page.fill("#typed", "Hola a todos, yo vivo en Madrid")
    page.press("#typed", "Enter")
    expect(page.locator("#notice")).to_contain_text("switched to text", timeout=LONG_MS)
    assert page.evaluate("() => window.tertulia.mode") == "text"
    expect(page.locator("#talk-button")).to_be_disabled()
    # Her line went to the room's Live session: Ana's page names her.
    line = _learner_lines(ana_page, 1)
    dana_lines = [c for c in line if c["member"] == dana.pk]
    if not dana_lines:  # Ana spoke first
        dana_lines = [c for c in _learner_lines(ana_page, 2) if c["member"] == dana.pk]
    assert dana_lines[0]["name"] == "Dana"
    assert dana_lines[0]["text"] == "Hola a todos, yo vivo en Madrid"
    expect(page.locator("#typed")).to_have_value("")
    # Dana reads the room: Ana's spoken line by name, her own as hers, the tutor's answers.
    expect(page.locator(".turn-peer .who").filter(has_text="Ana")).not_to_have_count(
        0, timeout=LONG_MS
    )
    own = page.locator(".turn-learner:not(.turn-peer)")
    expect(own.locator(".said")).to_have_text(["Hola a todos, yo vivo en Madrid"])
    expect(own.locator(".who")).to_have_text(["You"])
    page.wait_for_function(
        """() => {
          const lines = window.tertulia.captions;
          const mine = lines.findIndex((c) => c.name === "You");
          return mine >= 0 && lines.slice(mine).some((c) => c.speaker === "tutor");
        }""",
        timeout=LONG_MS,
    )
    member = room.members.get(learner=dana)
    # What she reads is her copy, in its order, in its final words: a line whose stored words
    # grew after she first read it (late transcription) is read again (lines may still be
    # arriving, and a poll every 2 s catches up).
    for _ in range(40):
        captions = page.evaluate("() => window.tertulia.captions")
        stored = list(
            Turn.objects.filter(conversation_id=member.conversation_id)
            .order_by("ordinal")
            .values_list("speaker", "text")
        )
        read = [(c["speaker"], c["text"]) for c in captions]
        if read == [("learner" if s == "peer" else s, t) for s, t in stored[: len(captions)]]:
            break
        page.wait_for_timeout(250)
    assert read == [("learner" if s == "peer" else s, t) for s, t in stored[: len(captions)]]
    assert [s for s, t in stored if t == "Hola a todos, yo vivo en Madrid"] == ["learner"]
    screenshot(page, "group-text-mode")
    # The room ends: polling stops and says so.
    services.group_end(room_id=room.pk, reason="ended by host")
    expect(page.locator("#notice")).to_contain_text("has ended", timeout=LONG_MS)
    assert page.evaluate("() => window.tertulia.state") == "ended"
