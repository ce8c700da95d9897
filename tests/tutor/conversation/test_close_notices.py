"""tutor/conversation/close_notices.py: the page learns what each close means from the server,
so no close code is written twice."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client

from accounts.models import User
from lessons.services.conversations import conversation_start
from tutor.audio.frames import OPUS_RATES
from tutor.conversation import protocol
from tutor.conversation.close_notices import CLOSE_NOTICES, DROPPED

ROOT = Path(__file__).resolve().parents[3]
SERVER_CODES = {
    value
    for name, value in vars(protocol).items()
    if name.startswith("CLOSE_") and type(value) is int
}


def test_every_close_the_server_sends_has_a_notice_but_the_two_drops() -> None:
    # 3013 (the database or the conversation's owner is busy) and 3012 (the conversation moved
    # to another process) are drops: the page reconnects, nothing to show.
    shown = {int(key) for key in CLOSE_NOTICES if key != DROPPED}
    assert shown == SERVER_CODES - {protocol.CLOSE_TRY_AGAIN, protocol.CLOSE_MOVED}


@pytest.mark.parametrize("key", sorted(CLOSE_NOTICES))
def test_each_notice_says_what_happened_and_offers_one_primary_way_on(key: str) -> None:
    notice = CLOSE_NOTICES[key]
    assert notice["text"] and notice["state"] in {"ended", "closed", "unavailable"}
    assert [action["primary"] for action in notice["actions"]].count(True) == 1
    acts = {action["act"] for action in notice["actions"]}
    assert acts <= {"review", "reload", "reconnect", "login", "home"}


def test_the_page_holds_no_close_code_of_its_own() -> None:
    scripts = [ROOT / "static/js/conversation.js", *(ROOT / "static/js/conversation").glob("*.js")]
    for script in scripts:
        code = re.sub(r"//.*", "", script.read_text(encoding="utf-8"))  # comments may cite them
        for close in SERVER_CODES - {protocol.CLOSE_NORMAL}:
            assert not re.search(rf"\b{close}\b", code), f"{script.name} spells out {close}"


@pytest.mark.django_db
def test_the_conversation_page_carries_the_notices_and_the_audio_facts(
    client: Client, alice: User
) -> None:
    conversation = conversation_start(learner=alice)
    client.force_login(alice)
    body = client.get(conversation.get_absolute_url()).content.decode()
    raw = re.search(r'id="conversation-config" type="application/json">(.*?)</script>', body)
    assert raw is not None
    config = json.loads(raw.group(1))
    assert config["closes"] == CLOSE_NOTICES
    assert config["opusRates"] == list(OPUS_RATES)
    assert config["reconnectGraceSeconds"] == 20
