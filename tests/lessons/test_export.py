"""The learner's data export (JSON and a zip of CSVs), and deletion leaving nothing behind."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from lessons.models import Comment, Conversation, Correction, DrillAttempt, Phrase, Review, Turn
from lessons.services.deck import phrase_grade
from lessons.services.drills import drill_check, drill_record
from tests.lessons.learner_data import make_comment, make_conversation, make_phrase, make_topic

pytestmark = pytest.mark.django_db
JSON_URL = reverse("learn:export_json")
CSV_URL = reverse("learn:export_csv")


@pytest.fixture
def alices_data(alice: User, bob: User) -> Conversation:
    conversation = make_conversation(
        alice,
        topic=make_topic("En el café"),
        corrections=[(3, "Ayer yo voy al mercado", "Ayer fui al mercado", "grammar")],
    )
    make_comment(conversation, bob, "¡Muy bien!")
    card = make_phrase(alice, "la cuenta, por favor", conversation=conversation)
    result = drill_check(phrase=card, heard="la cuenta por favor")
    drill_record(learner=alice, phrase=card, mode="spoken", result=result, ip="10.0.0.1")
    phrase_grade(learner=alice, phrase_id=card.pk, rating=3)
    return conversation


def _json(client: Client) -> dict[str, Any]:
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def _csvs(client: Client) -> dict[str, list[dict[str, str]]]:
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {
        name.removesuffix(".csv"): list(
            csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig")))
        )
        for name in archive.namelist()
        if name.endswith(".csv")
    }


def test_the_json_export_holds_everything_nested(
    client: Client, alice: User, alices_data: Conversation
) -> None:
    client.force_login(alice)
    data = _json(client)
    assert data["account"]["email"] == "alice@example.org"
    (conversation,) = data["conversations"]
    assert conversation["id"] == str(alices_data.pk)
    assert conversation["topic"] == "En el café"
    assert [t["speaker"] for t in conversation["turns"]] == ["tutor", "learner"] * 2
    (correction,) = conversation["turns"][3]["corrections"]
    assert (correction["original"], correction["corrected"]) == (
        "Ayer yo voy al mercado",
        "Ayer fui al mercado",
    )
    assert [c["text"] for c in conversation["comments"]] == ["¡Muy bien!"]
    phrases = {p["text"]: p for p in data["phrases"]}
    assert phrases["Ayer fui al mercado"]["from_correction"] is True
    graded = phrases["la cuenta, por favor"]
    assert [r["rating"] for r in graded["reviews"]] == [3]
    (attempt,) = graded["attempts"]
    assert (attempt["mode"], attempt["heard"], attempt["matched"]) == (
        "spoken",
        "la cuenta por favor",
        True,
    )
    assert graded["reps"] == 1
    assert graded["stability"] is not None


def test_the_csv_export_has_one_file_per_kind(
    client: Client, alice: User, alices_data: Conversation
) -> None:
    client.force_login(alice)
    tables = _csvs(client)
    assert set(tables) == {
        "conversations",
        "turns",
        "corrections",
        "upgrades",
        "phrases",
        "reviews",
        "attempts",
        "comments",
        "memory",
        "lookups",
    }
    assert [row["id"] for row in tables["conversations"]] == [str(alices_data.pk)]
    assert len(tables["turns"]) == 4
    assert tables["turns"][1]["text"] == "Yo quiero comer una tortilla y un café con leche"
    assert tables["corrections"][0]["turn_ordinal"] == "3"
    assert {row["text"] for row in tables["phrases"]} == {
        "Ayer fui al mercado",
        "la cuenta, por favor",
    }
    assert tables["reviews"][0]["rating"] == "3"
    assert tables["attempts"][0]["heard"] == "la cuenta por favor"
    assert tables["comments"][0]["author"] == "Bob"


def test_csv_cells_never_start_a_spreadsheet_formula(client: Client, alice: User) -> None:
    make_conversation(alice, turns=[("learner", '=HYPERLINK("http://example.org")')])
    client.force_login(alice)
    text = _csvs(client)["turns"][0]["text"]
    assert text == '\'=HYPERLINK("http://example.org")'
    assert _json(client)["conversations"][0]["turns"][0]["text"].startswith("=HYPERLINK")


def test_the_export_holds_nothing_of_anyone_else(
    client: Client, alice: User, charlie: User, alices_data: Conversation
) -> None:
    make_conversation(None, turns=[("learner", "a trial line")])
    client.force_login(charlie)
    data = _json(client)
    assert data["conversations"] == []
    assert data["phrases"] == []
    assert all(len(rows) == 0 for rows in _csvs(client).values())


def test_after_deleting_her_account_nothing_of_alice_remains(
    client: Client, alice: User, charlie: User, alices_data: Conversation
) -> None:
    make_conversation(charlie, language="fr", turns=[("learner", "Bonjour")])
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {"confirm": "DELETE"})
    assert response.status_code == 302
    assert not User.objects.filter(email="alice@example.org").exists()
    assert not Conversation.objects.exclude(learner=charlie).exists()
    assert not Turn.objects.exclude(conversation__learner=charlie).exists()
    for model in (Correction, Phrase, Review, Comment, DrillAttempt):
        assert not model.objects.exists(), f"{model.__name__} rows of alice remain"
    client.force_login(charlie)
    data = _json(client)
    assert [t["text"] for c in data["conversations"] for t in c["turns"]] == ["Bonjour"]


def test_the_query_count_does_not_grow_with_the_history(
    client: Client, alice: User, bob: User, django_assert_max_num_queries: Callable[..., object]
) -> None:
    for _ in range(2):
        make_conversation(alice, corrections=[(1, "Yo quiero", "Quiero", "grammar")])
    client.force_login(alice)
    counts = []
    for url in (JSON_URL, CSV_URL):
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts.append(len(captured))
    for i in range(28):
        conversation = make_conversation(
            alice, corrections=[(1, "Yo quiero", f"Quiero {i}", "grammar")]
        )
        make_comment(conversation, bob, "Bien")
    for url, count in zip((JSON_URL, CSV_URL), counts, strict=True):
        with django_assert_max_num_queries(count):  # type: ignore[operator]
            client.get(url)
