"""Each learner's own record of a group conversation: the review page names the others and
shows only the viewer's corrections, history marks it, progress shows the share, the export
leaves the others' lines out, and the memory update never reads them as the learner's."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import GroupRoom
from lessons.selectors.memory import _transcript
from lessons.services import groups
from tests.lessons.groups.helpers import learner, member, room_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def talked(alice: User) -> tuple[GroupRoom, User]:
    """alice and dani talked; the tutor corrected each of them once."""
    dani = learner("dani@example.org")
    room = room_of(alice, dani)
    say = groups.group_record_turn
    say(
        room_id=room.pk, speaker_learner_id=None, text="¿De dónde sois?", started_ms=0, ended_ms=900
    )
    for who, text, fixed in (
        (alice, "Yo es de Leeds", "Yo soy"),
        (dani, "Yo son de Vigo", "Yo soy"),
    ):
        turns = say(
            room_id=room.pk, speaker_learner_id=who.pk, text=text, started_ms=1000, ended_ms=3000
        )
        groups.group_note_correction(
            room_id=room.pk, learner_id=who.pk, turn_ordinal=turns[who.pk].ordinal,
            original=text.split(" de ")[0], corrected=fixed,
        )  # fmt: skip
    groups.group_end(room_id=room.pk, reason="ended by host")
    return room, dani


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_review_names_the_peer_and_shows_only_my_corrections(
    alice: User, talked: tuple[GroupRoom, User]
) -> None:
    room, _dani = talked
    conversation = member(room, alice).conversation
    html = (
        _client(alice)
        .get(reverse("learn:conversation_review", args=[conversation.pk]))
        .content.decode()
    )
    assert "Yo son de Vigo" in html and ">Dani<" in html
    assert "Yo es" in html  # her own correction's original
    assert html.count('class="correction"') == 1
    assert 'class="badge badge-group"' in html
    assert 'id="group-share"' in html and "50%" in html


def test_history_marks_group_conversations(alice: User, talked: tuple[GroupRoom, User]) -> None:
    html = _client(alice).get(reverse("learn:history")).content.decode()
    assert html.count('class="badge badge-group"') == 1


def test_progress_shows_the_group_share(alice: User, talked: tuple[GroupRoom, User]) -> None:
    html = _client(alice).get(reverse("learn:progress")).content.decode()
    assert 'id="group-talk"' in html and "50%" in html


def test_the_export_leaves_the_other_learners_lines_out(
    alice: User, talked: tuple[GroupRoom, User]
) -> None:
    data = json.loads(_client(alice).get(reverse("learn:export_json")).content)
    (conversation,) = data["conversations"]
    said = [(t["speaker"], t["text"]) for t in conversation["turns"]]
    assert said == [("tutor", "¿De dónde sois?"), ("learner", "Yo es de Leeds")]
    corrections = [c["corrected"] for t in conversation["turns"] for c in t["corrections"]]
    assert (conversation["kind"], corrections) == ("group", ["Yo soy"])
    archive = zipfile.ZipFile(io.BytesIO(_client(alice).get(reverse("learn:export_csv")).content))
    turns_csv = archive.read("turns.csv").decode("utf-8-sig")
    assert "Leeds" in turns_csv and "Vigo" not in turns_csv and "peer" not in turns_csv


def test_the_memory_update_reads_only_the_learners_and_tutors_lines(
    alice: User, talked: tuple[GroupRoom, User]
) -> None:
    transcript = _transcript(member(talked[0], alice).conversation)
    assert [speaker for speaker, _ in transcript.turns] == ["tutor", "learner"]
