"""Tests for the built-in topic library under lessons/topics/ (plain JSON, no Django needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tutor.prompts import CEFR_LEVELS, LANGUAGES, PREBUILT_VOICES

# Checks of data files (the topic library, the demo scripts), counted apart from behaviour.
pytestmark = pytest.mark.data

TOPICS_DIR = Path(__file__).resolve().parents[2] / "lessons" / "topics"
FILES = sorted(TOPICS_DIR.glob("*.json"))
KEYS = {
    "slug", "title", "level_min", "level_max", "scenario", "tutor_role", "learner_goal",
    "target_phrases", "grammar_focus", "opener", "persona_name", "voice",
}  # fmt: skip
# Mirrors the max_length of lessons.models.Topic, so a bad file fails here and not at load time.
MAX_LENGTHS = {
    "slug": 80, "title": 120, "tutor_role": 200, "learner_goal": 300, "grammar_focus": 200,
    "opener": 300, "persona_name": 60, "voice": 20,
}  # fmt: skip
REQUIRED_LANGUAGES = {"es", "fr", "de", "it", "pt", "ja", "en"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ENDS_A_SENTENCE = ".!?。？！…"


def topics(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def all_topics() -> list[tuple[str, dict[str, Any]]]:
    return [(path.stem, topic) for path in FILES for topic in topics(path)]


def topic_id(case: tuple[str, dict[str, Any]]) -> str:
    return f"{case[0]}:{case[1].get('slug')}"


TOPIC_CASES = all_topics()


def test_every_required_language_has_a_topic_file() -> None:
    assert {path.stem for path in FILES} >= REQUIRED_LANGUAGES


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_each_file_is_for_a_language_the_tutor_speaks(path: Path) -> None:
    assert path.stem in LANGUAGES


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_each_language_has_at_least_eight_topics_from_a1_to_c1(path: Path) -> None:
    items = topics(path)
    assert len(items) >= 8
    assert {"A1", "A2", "B1", "B2", "C1"} <= {item["level_min"] for item in items}


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_slugs_are_unique_within_a_language(path: Path) -> None:
    slugs = [item["slug"] for item in topics(path)]
    assert len(slugs) == len(set(slugs))


@pytest.mark.parametrize(("language", "topic"), TOPIC_CASES, ids=map(topic_id, TOPIC_CASES))
def test_each_topic_has_exactly_the_expected_keys(language: str, topic: dict[str, Any]) -> None:
    assert set(topic) == KEYS


@pytest.mark.parametrize(("language", "topic"), TOPIC_CASES, ids=map(topic_id, TOPIC_CASES))
def test_each_slug_is_kebab_case_ascii(language: str, topic: dict[str, Any]) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", topic["slug"])


@pytest.mark.parametrize(("language", "topic"), TOPIC_CASES, ids=map(topic_id, TOPIC_CASES))
def test_text_fields_are_filled_single_lines_that_fit_the_model(
    language: str, topic: dict[str, Any]
) -> None:
    for key in KEYS - {"target_phrases"}:
        value = topic[key]
        assert isinstance(value, str), key
        assert value.strip() == value != "", key
        assert "\n" not in value, key
        assert len(value) <= MAX_LENGTHS.get(key, 1000), key


@pytest.mark.parametrize(("language", "topic"), TOPIC_CASES, ids=map(topic_id, TOPIC_CASES))
def test_levels_are_valid_and_ordered(language: str, topic: dict[str, Any]) -> None:
    low, high = topic["level_min"], topic["level_max"]
    assert low in CEFR_LEVELS
    assert high in CEFR_LEVELS
    assert CEFR_LEVELS.index(low) <= CEFR_LEVELS.index(high)


@pytest.mark.parametrize(("language", "topic"), TOPIC_CASES, ids=map(topic_id, TOPIC_CASES))
def test_each_topic_has_four_to_eight_distinct_phrases(
    language: str, topic: dict[str, Any]
) -> None:
    phrases = topic["target_phrases"]
    assert isinstance(phrases, list)
    assert 4 <= len(phrases) <= 8
    assert len(set(phrases)) == len(phrases)
    for phrase in phrases:
        assert isinstance(phrase, str)
        assert phrase.strip() == phrase != ""
        assert phrase[-1] in ENDS_A_SENTENCE, phrase


@pytest.mark.parametrize(("language", "topic"), TOPIC_CASES, ids=map(topic_id, TOPIC_CASES))
def test_the_scenario_is_one_to_three_sentences(language: str, topic: dict[str, Any]) -> None:
    sentences = re.findall(r"[.!?](?:\s|$)", topic["scenario"])
    assert 1 <= len(sentences) <= 3
    assert topic["scenario"][-1] in ".!?"


@pytest.mark.parametrize(("language", "topic"), TOPIC_CASES, ids=map(topic_id, TOPIC_CASES))
def test_phrases_and_opener_are_in_the_target_languages_script(
    language: str, topic: dict[str, Any]
) -> None:
    for text in [*topic["target_phrases"], topic["opener"]]:
        assert bool(JAPANESE.search(text)) == (language == "ja"), text


@pytest.mark.parametrize(("language", "topic"), TOPIC_CASES, ids=map(topic_id, TOPIC_CASES))
def test_english_fields_are_not_in_japanese_script(language: str, topic: dict[str, Any]) -> None:
    for key in ("title", "scenario", "tutor_role", "learner_goal", "persona_name"):
        assert not JAPANESE.search(topic[key]), key


@pytest.mark.parametrize(("language", "topic"), TOPIC_CASES, ids=map(topic_id, TOPIC_CASES))
def test_each_persona_speaks_with_a_prebuilt_voice(language: str, topic: dict[str, Any]) -> None:
    # An unknown name would make the real Live service refuse the whole session.
    assert topic["voice"] in PREBUILT_VOICES


@pytest.mark.parametrize(("language", "topic"), TOPIC_CASES, ids=map(topic_id, TOPIC_CASES))
def test_a_role_that_names_someone_gives_the_persona_that_name(
    language: str, topic: dict[str, Any]
) -> None:
    named = re.match(r"([A-Z][^,]*), ", topic["tutor_role"])
    if named:
        assert topic["persona_name"] == named.group(1)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_a_language_s_role_plays_do_not_all_sound_alike(path: Path) -> None:
    voices = [item["voice"] for item in topics(path)]
    assert len(set(voices)) >= len(voices) * 3 // 4
