from __future__ import annotations

import json
from pathlib import Path

import pytest

from lessons.models import Topic
from lessons.topic_library import TOPICS_DIR, load_builtin_topics

pytestmark = pytest.mark.django_db

TOPIC = {
    "slug": "market",
    "title": "At the market",
    "level_min": "A1",
    "level_max": "A2",
    "scenario": "A Saturday market in Seville.",
    "tutor_role": "a fruit seller",
    "learner_goal": "Buy fruit.",
    "target_phrases": ["¿Cuánto cuesta?", "Un kilo, por favor."],
    "grammar_focus": "numbers",
    "opener": "¡Buenos días!",
}


def test_loading_the_library_twice_creates_no_duplicates() -> None:
    first = load_builtin_topics()
    count = Topic.objects.count()
    second = load_builtin_topics()
    assert first.created == count > 0
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == count
    assert Topic.objects.count() == count


def test_the_library_has_eight_topics_per_language_over_a1_to_c1() -> None:
    load_builtin_topics()
    for language in ("es", "fr", "de", "it", "pt", "ja", "en"):
        topics = Topic.objects.builtin().filter(language=language)
        assert topics.count() >= 8, language
        levels = {t.level_min for t in topics} | {t.level_max for t in topics}
        assert {"A1", "A2", "B1", "B2", "C1"} <= levels, language
        assert all(4 <= len(t.target_phrases) <= 8 for t in topics), language
    assert {p.stem for p in TOPICS_DIR.glob("*.json")} >= {"es", "fr", "de", "it", "pt", "ja", "en"}


def test_an_edited_file_updates_the_topic_in_place(tmp_path: Path) -> None:
    (tmp_path / "es.json").write_text(json.dumps([TOPIC]), encoding="utf-8")
    assert load_builtin_topics(tmp_path).created == 1
    edited = dict(TOPIC, title="At the street market")
    (tmp_path / "es.json").write_text(json.dumps([edited]), encoding="utf-8")
    result = load_builtin_topics(tmp_path)
    assert (result.created, result.updated) == (0, 1)
    assert Topic.objects.get(slug="market").title == "At the street market"


def test_an_invalid_topic_is_refused_whole(tmp_path: Path) -> None:
    bad = dict(TOPIC, slug="bad", level_min="Z1")
    (tmp_path / "es.json").write_text(json.dumps([TOPIC, bad]), encoding="utf-8")
    with pytest.raises(Exception, match="level_min"):
        load_builtin_topics(tmp_path)
    assert Topic.objects.count() == 0
