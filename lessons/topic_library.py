"""The built-in topic library: JSON files under lessons/topics/, loaded idempotently."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from lessons.models import TOPIC_CONTENT_FIELDS, Topic

TOPICS_DIR = Path(__file__).resolve().parent / "topics"
FIELDS = TOPIC_CONTENT_FIELDS


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def read_library(directory: Path = TOPICS_DIR) -> dict[str, list[dict[str, object]]]:
    """{language code: [topic dicts]} from `<code>.json` files."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.json"))
    }


@transaction.atomic
def load_builtin_topics(directory: Path = TOPICS_DIR) -> LoadResult:
    """Create or update built-in topics by (language, slug); running it twice changes nothing."""
    created = updated = unchanged = 0
    existing = {(t.language, t.slug): t for t in Topic.objects.builtin()}
    for language, items in read_library(directory).items():
        for item in items:
            values = {field: item.get(field, "") for field in FIELDS}
            topic = existing.get((language, str(item["slug"])))
            if topic is None:
                topic = Topic(language=language, slug=str(item["slug"]), **values)
                topic.full_clean()
                topic.save()
                created += 1
            elif any(getattr(topic, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(topic, field, value)
                topic.full_clean()
                topic.save()
                updated += 1
            else:
                unchanged += 1
    return LoadResult(created, updated, unchanged)
