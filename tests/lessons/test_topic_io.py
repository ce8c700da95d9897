"""Sharing topics between schools as a versioned, validated JSON file."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import Topic
from lessons.topic_io import FORMAT, VERSION, export_json, export_topics, import_json
from tests.lessons.teaching import (
    fast_passwords,  # noqa: F401 (a fixture, used by name)
    make_topic,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@pytest.fixture
def olga(db: None) -> User:
    """A teacher at another school."""
    return User.objects.create_user(email="olga@example.org", role="teacher", onboarded=True)


def _file(*topics: dict[str, Any], **top: Any) -> bytes:
    data = {"format": FORMAT, "version": VERSION, "topics": list(topics), **top}
    return json.dumps(data, ensure_ascii=False).encode()


def _topic(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "À la boulangerie",
        "language": "fr",
        "level_min": "A1",
        "level_max": "A2",
        "scenario": "Une boulangerie à Lyon, un samedi matin.",
        "tutor_role": "le boulanger",
        "learner_goal": "acheter du pain et des croissants",
        "target_phrases": ["je voudrais une baguette", "c'est combien ?"],
    }
    values.update(fields)
    return values


def test_a_topic_travels_from_one_teacher_to_another_unchanged(bob: User, olga: User) -> None:
    original = make_topic(
        author=bob,
        grammar_focus="quisiera + infinitivo",
        opener="¡Hola! ¿Qué le pongo?",
        correction_style="recast",
    )
    result = import_json(export_json([original]).encode(), author=olga)
    [copy] = result.created
    assert copy.author == olga
    # Everything the topic says travels: every field but its id, slug, owner and timestamps.
    not_content = {"id", "slug", "author", "created_at", "updated_at"}
    content = [f.name for f in Topic._meta.concrete_fields if f.name not in not_content]
    for field in content:
        assert getattr(copy, field) == getattr(original, field), field


def test_the_export_names_its_format_and_version(bob: User) -> None:
    data = export_topics([make_topic(author=bob)])
    assert (data["format"], data["version"]) == ("tertulia-topics", 1)
    assert data["topics"][0]["target_phrases"][0] == "la cuenta, por favor"


def test_importing_the_same_file_twice_adds_nothing(olga: User) -> None:
    raw = _file(_topic(), _topic(title="Au marché"))
    assert len(import_json(raw, author=olga).created) == 2
    again = import_json(raw, author=olga)
    assert (len(again.created), again.skipped) == (0, 2)
    assert Topic.objects.filter(author=olga).count() == 2


def test_an_imported_title_that_exists_gets_a_new_slug(olga: User) -> None:
    import_json(_file(_topic()), author=olga)
    import_json(_file(_topic(scenario="Une autre boulangerie.")), author=olga)
    assert sorted(Topic.objects.filter(author=olga).values_list("slug", flat=True)) == [
        "a-la-boulangerie",
        "a-la-boulangerie-2",
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe not text", "not a JSON file"),
        (b"{not json", "not a JSON file"),
        (b"[]", "not a Tertulia topics file"),
        (json.dumps({"format": "other"}).encode(), "not a Tertulia topics file"),
        (_file(_topic(), version=2), "format version 2"),
        (_file(), "should be non-empty"),
        (_file(_topic(language="xx")), "Topic 1, language"),
        (_file(_topic(level_min="Z9")), "Topic 1, level_min"),
        (_file(_topic(target_phrases=[])), "Topic 1, target_phrases"),
        (_file(_topic(target_phrases=[f"p{n}" for n in range(9)])), "Topic 1, target_phrases"),
        (_file(_topic(target_phrases=["x" * 121])), "Topic 1, target_phrases.0"),
        (_file(_topic(scenario="s" * 1001)), "Topic 1, scenario"),
        (_file(_topic(extra="field")), "Additional properties"),
        (_file(_topic(), _topic(title="")), "Topic 2, title"),
        (_file(_topic(level_min="B2", level_max="A1")), "must not be above"),
        (_file(_topic(correction_style="loud")), "Topic 1, correction_style"),
    ],
)
def test_a_bad_file_is_refused_with_a_reason(olga: User, raw: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        import_json(raw, author=olga)
    assert message in " ".join(raised.value.messages)
    assert not Topic.objects.filter(author=olga).exists()


def test_one_bad_topic_stops_the_whole_import(olga: User) -> None:
    raw = _file(_topic(), _topic(title="Bad", level_min="C2", level_max="A1"))
    with pytest.raises(ValidationError, match="Topic 2"):
        import_json(raw, author=olga)
    assert not Topic.objects.filter(author=olga).exists()


def test_an_oversized_file_is_refused(olga: User) -> None:
    with pytest.raises(ValidationError, match="larger than"):
        import_json(b" " * (512 * 1024 + 1), author=olga)


def test_a_byte_order_mark_is_accepted(olga: User) -> None:
    raw = "\ufeff".encode() + _file(_topic())
    assert len(import_json(raw, author=olga).created) == 1


def test_the_export_download_holds_only_the_teachers_own_topics(
    client: Client, bob: User, olga: User
) -> None:
    mine = make_topic(author=bob, title="Mío")
    make_topic(author=bob, title="También mío", slug="tambien")
    make_topic(author=olga, title="De Olga")
    make_topic(title="Built in", slug="builtin")
    client.force_login(bob)
    response = client.get(reverse("teach:topic_export"))
    assert response["Content-Disposition"].startswith('attachment; filename="tertulia-topics-')
    titles = [t["title"] for t in json.loads(response.content)["topics"]]
    assert titles == ["Mío", "También mío"]
    chosen = client.get(reverse("teach:topic_export"), {"topic": [mine.pk]})
    assert [t["title"] for t in json.loads(chosen.content)["topics"]] == ["Mío"]


def test_a_teacher_imports_through_the_page(client: Client, olga: User) -> None:
    client.force_login(olga)
    upload = SimpleUploadedFile("topics.json", _file(_topic()), "application/json")
    response = client.post(reverse("teach:topic_import"), {"file": upload}, follow=True)
    assert "Imported 1 topic." in response.content.decode()
    assert Topic.objects.get(author=olga).title == "À la boulangerie"


def test_the_page_reports_a_bad_file(client: Client, olga: User) -> None:
    client.force_login(olga)
    upload = SimpleUploadedFile("topics.json", b"{", "application/json")
    response = client.post(reverse("teach:topic_import"), {"file": upload}, follow=True)
    assert "not a JSON file" in response.content.decode()
