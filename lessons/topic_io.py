"""Topics as a portable JSON file, so teachers can share role-plays between schools.

    {"format": "tertulia-topics", "version": 1, "exported_at": "…",
     "topics": [{"title": …, "language": "es", "level_min": "A2", "level_max": "B1",
                 "scenario": …, "tutor_role": …, "learner_goal": …,
                 "target_phrases": […], "grammar_focus": …, "opener": …,
                 "persona_name": …, "voice": "" | one of Gemini's prebuilt voices,
                 "correction_style": "" | "none" | "recast" | "explain"}]}

An import is all or nothing: every topic is checked (schema, then the authoring rules, then the
model) before any is saved. Imported topics belong to the importing teacher; a topic they already
have with the same content is skipped, so importing a file twice adds nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jsonschema
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import LEVEL_ORDER, TARGET_LANGUAGES, TUTOR_VOICES, CorrectionStyle
from lessons.models import TOPIC_CONTENT_FIELDS, Topic
from lessons.topic_rules import (
    MAX_PHRASES,
    PHRASE_MAX_LENGTH,
    SCENARIO_MAX_LENGTH,
    check_levels,
    clean_phrases,
    unique_slug,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User

FORMAT = "tertulia-topics"
VERSION = 1
MAX_BYTES = 512 * 1024
MAX_TOPICS = 200
FIELDS = ("language", *TOPIC_CONTENT_FIELDS, "correction_style")
# A topic in a file may leave these out; it must have all the other FIELDS.
OPTIONAL_FIELDS = ("grammar_focus", "opener", "persona_name", "voice", "correction_style")


def _text(max_length: int, min_length: int = 0) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length, "maxLength": max_length}


TOPIC_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [name for name in FIELDS if name not in OPTIONAL_FIELDS],
    "properties": {
        "title": _text(120, 1),
        "language": {"enum": [code for code, _label in TARGET_LANGUAGES]},
        "level_min": {"enum": LEVEL_ORDER},
        "level_max": {"enum": LEVEL_ORDER},
        "scenario": _text(SCENARIO_MAX_LENGTH, 1),
        "tutor_role": _text(200, 1),
        "learner_goal": _text(300, 1),
        "target_phrases": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_PHRASES,
            "items": _text(PHRASE_MAX_LENGTH, 1),
        },
        "grammar_focus": _text(200),
        "opener": _text(300),
        "persona_name": _text(60),
        "voice": {"enum": ["", *(name for name, _label in TUTOR_VOICES)]},
        "correction_style": {"enum": ["", *CorrectionStyle.values]},
    },
}
FILE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["format", "version", "topics"],
    "properties": {
        "format": {"const": FORMAT},
        "version": {"type": "integer"},
        "exported_at": {"type": "string"},
        "topics": {"type": "array", "minItems": 1, "maxItems": MAX_TOPICS, "items": TOPIC_SCHEMA},
    },
}


def export_topics(topics: Iterable[Topic]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "topics": [{name: getattr(topic, name) for name in FIELDS} for topic in topics],
    }


def export_json(topics: Iterable[Topic]) -> str:
    return json.dumps(export_topics(topics), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class ImportResult:
    created: list[Topic]
    skipped: int


def import_json(raw: bytes, *, author: User) -> ImportResult:
    """Parse, validate and save; raises ValidationError with messages a teacher can act on."""
    return import_topics(parse(raw), author=author)


def parse(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("The file is larger than %(kb)s KB.") % {"kb": MAX_BYTES // 1024})
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(
            _("This is not a JSON file (%(error)s).") % {"error": error}
        ) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(_("This is not a Tertulia topics file."))
    if isinstance(data.get("version"), int) and data["version"] > VERSION:
        raise ValidationError(
            _("This file is format version %(version)s; this server reads version %(supported)s.")
            % {"version": data["version"], "supported": VERSION}
        )
    errors = sorted(jsonschema.Draft202012Validator(FILE_SCHEMA).iter_errors(data), key=str)
    if errors:
        raise ValidationError([_describe(error) for error in errors[:5]])
    return data


@transaction.atomic
def import_topics(data: dict[str, Any], *, author: User) -> ImportResult:
    created: list[Topic] = []
    skipped = 0
    for number, item in enumerate(data["topics"], start=1):
        try:
            topic = _build(item, author)
            topic.full_clean(exclude=["slug"])
        except ValidationError as error:
            raise ValidationError(_prefixed(number, item, error.messages)) from error
        if _already_have(topic):
            skipped += 1
            continue
        topic.slug = unique_slug(author=author, language=topic.language, title=topic.title)
        topic.save()
        created.append(topic)
    return ImportResult(created, skipped)


def _build(item: dict[str, Any], author: User) -> Topic:
    values = {name: item.get(name, "") for name in FIELDS}
    check_levels(values["level_min"], values["level_max"])
    values["target_phrases"] = clean_phrases(list(values["target_phrases"]))
    return Topic(author=author, **values)


def _already_have(topic: Topic) -> bool:
    same = {name: getattr(topic, name) for name in FIELDS}
    return Topic.objects.filter(author=topic.author, **same).exists()


def _prefixed(number: int, item: dict[str, Any], messages: list[str]) -> list[str]:
    return [
        _("Topic %(number)s (“%(title)s”): %(message)s")
        % {"number": number, "title": item.get("title", ""), "message": message}
        for message in messages
    ]


def _describe(error: jsonschema.ValidationError) -> str:
    path = error.absolute_path
    if len(path) >= 2 and path[0] == "topics":
        where = _("Topic %(number)s") % {"number": int(path[1]) + 1}
        field = ".".join(str(part) for part in list(path)[2:])
        if field:
            return _("%(where)s, %(field)s: %(message)s") % {
                "where": where,
                "field": field,
                "message": error.message,
            }
        return _("%(where)s: %(message)s") % {"where": where, "message": error.message}
    return error.message
