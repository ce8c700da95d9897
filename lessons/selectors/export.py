"""A learner's data, whole: conversations, turns, corrections, upgrades, phrases, reviews,
answers checked on the drill page, the words looked up in captions, the teacher comments on
their conversations and what the tutor remembers about them, as JSON or as a zip of CSV files."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone

from lessons.models import (
    Comment,
    Conversation,
    Correction,
    DrillAttempt,
    MemoryLine,
    Phrase,
    Review,
    Turn,
    Upgrade,
    WordLookup,
)

if TYPE_CHECKING:
    from accounts.models import User

FORMAT_VERSION = 1
# Each table: (columns, in file order). Names are the JSON keys and the CSV headers.
COLUMNS = {
    "conversations": [
        "id", "started_at", "ended_at", "status", "language", "level", "topic",
        "correction_style", "learner_seconds", "tutor_seconds", "end_reason", "kind",
    ],
    "turns": [
        "conversation_id", "ordinal", "speaker", "text", "started_ms", "ended_ms",
        "interrupted", "source",
    ],
    "corrections": [
        "conversation_id", "turn_ordinal", "original", "corrected", "explanation", "kind",
        "created_at",
    ],
    "upgrades": [
        "conversation_id", "turn_ordinal", "original", "upgraded", "explanation", "created_at",
    ],
    "phrases": [
        "id", "language", "text", "translation", "note", "conversation_id",
        "from_correction", "from_upgrade", "created_at", "state", "step", "stability",
        "difficulty", "due", "last_review", "reps", "lapses",
    ],
    "reviews": ["phrase_id", "rating", "reviewed_at", "duration_ms"],
    "attempts": ["phrase_id", "mode", "heard", "matched", "created_at"],
    "comments": ["conversation_id", "turn_ordinal", "author", "text", "created_at"],
    "memory": ["kind", "text", "conversation_id", "updated_at"],
    "lookups": ["conversation_id", "turn_ordinal", "word", "lemma", "meaning", "created_at"],
}  # fmt: skip
README = """Tertulia export, format version {version}, made {made}.

conversations.csv  one row per conversation (id links the other files)
turns.csv          the transcript, one row per turn, in order (speaker: learner or tutor;
                   in a group conversation, kind "group", the other learners' lines are
                   left out: they are theirs)
corrections.csv    what you said and the better version, with the turn it belongs to
upgrades.csv       lines you said correctly and a more natural way to say them ("say it
                   better"), with the turn each belongs to
phrases.csv        your review cards with their FSRS scheduling state
                   (state 1 learning, 2 review, 3 relearning)
reviews.csv        every grade you gave a card (1 again, 2 hard, 3 good, 4 easy)
attempts.csv       every answer you spoke or typed on a card, what was heard, and whether
                   it matched the card
comments.csv       your teachers' comments on your conversations
memory.csv         what your tutor remembers about you, one line per row (kind: interest,
                   person, place, goal, error or phrase; the conversation it came from)
lookups.csv        every word you looked up in a caption, the turn it was on, and the
                   explanation (empty when none came back)

Cells that begin with = + - @ are prefixed with ' so spreadsheets show them as text rather
than run them as formulas. The JSON export holds the same data unaltered.
"""


# Columns whose value comes from another path than their own name.
_PATHS = {
    "conversations": {"topic": "topic__title"},
    "corrections": {"conversation_id": "turn__conversation_id", "turn_ordinal": "turn__ordinal"},
    "upgrades": {"conversation_id": "turn__conversation_id", "turn_ordinal": "turn__ordinal"},
    "phrases": {"from_correction": "source_correction_id", "from_upgrade": "source_upgrade_id"},
    "comments": {"turn_ordinal": "turn__ordinal", "author": "author__display_name"},
    "memory": {"conversation_id": "source_id"},
    "lookups": {
        "turn_ordinal": "turn__ordinal",
        "lemma": "entry__lemma",
        "meaning": "entry__meaning",
    },
}


def _querysets(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "conversations": Conversation.objects.owned_by(user).order_by("started_at"),
        # Another learner's lines in a group conversation are theirs: only this learner's own
        # lines and the tutor's leave with their data.
        "turns": Turn.objects.filter(conversation__learner=user)
        .exclude(speaker=Turn.Speaker.PEER)
        .order_by("conversation__started_at", "ordinal"),
        "corrections": Correction.objects.filter(turn__conversation__learner=user).order_by(
            "turn__conversation__started_at", "turn__ordinal", "pk"
        ),
        "upgrades": Upgrade.objects.filter(turn__conversation__learner=user).order_by(
            "turn__conversation__started_at", "turn__ordinal", "pk"
        ),
        "phrases": Phrase.objects.filter(learner=user).order_by("created_at", "pk"),
        "reviews": Review.objects.filter(phrase__learner=user).order_by("reviewed_at", "pk"),
        "attempts": DrillAttempt.objects.filter(learner=user).order_by("created_at", "pk"),
        "comments": Comment.objects.filter(conversation__learner=user).order_by("created_at", "pk"),
        "memory": MemoryLine.objects.filter(learner=user).order_by("position", "pk"),
        "lookups": WordLookup.objects.filter(conversation__learner=user).order_by(
            "created_at", "pk"
        ),
    }


def _rows(user: User) -> dict[str, list[dict[str, Any]]]:
    """Every table as a list of dicts keyed by COLUMNS: one query a table whatever the amount."""
    rows = {}
    for name, queryset in _querysets(user).items():
        paths = [_PATHS.get(name, {}).get(column, column) for column in COLUMNS[name]]
        rows[name] = [
            dict(zip(COLUMNS[name], values, strict=True)) for values in queryset.values_list(*paths)
        ]
    for phrase in rows["phrases"]:
        phrase["from_correction"] = phrase["from_correction"] is not None
        phrase["from_upgrade"] = phrase["from_upgrade"] is not None
    return rows


def learner_export_json(user: User) -> bytes:
    """One JSON document: conversations hold their turns, turns their corrections and upgrades,
    phrases
    their reviews and checked answers."""
    rows = _rows(user)
    conversations = {
        c["id"]: {**c, "turns": [], "comments": [], "word_lookups": []}
        for c in rows["conversations"]
    }
    turns = {}
    for turn in rows["turns"]:
        conversation = conversations[turn.pop("conversation_id")]
        turns[(conversation["id"], turn["ordinal"])] = {**turn, "corrections": [], "upgrades": []}
        conversation["turns"].append(turns[(conversation["id"], turn["ordinal"])])
    for correction in rows["corrections"]:
        key = (correction.pop("conversation_id"), correction.pop("turn_ordinal"))
        turns[key]["corrections"].append(correction)
    for upgrade in rows["upgrades"]:
        key = (upgrade.pop("conversation_id"), upgrade.pop("turn_ordinal"))
        turns[key]["upgrades"].append(upgrade)
    for comment in rows["comments"]:
        conversations[comment.pop("conversation_id")]["comments"].append(comment)
    for lookup in rows["lookups"]:
        conversations[lookup.pop("conversation_id")]["word_lookups"].append(lookup)
    phrases = {p["id"]: {**p, "reviews": [], "attempts": []} for p in rows["phrases"]}
    for review in rows["reviews"]:
        phrases[review.pop("phrase_id")]["reviews"].append(review)
    for attempt in rows["attempts"]:
        phrases[attempt.pop("phrase_id")]["attempts"].append(attempt)
    document = {
        "format": "tertulia-export",
        "version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "account": _account(user),
        "conversations": list(conversations.values()),
        "phrases": list(phrases.values()),
        "memory": rows["memory"],
    }
    # No indent: json only uses its C encoder without one (several times faster on big exports).
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def _account(user: User) -> dict[str, Any]:
    fields = ["email", "display_name", "native_language", "target_language", "level"]
    more = ["correction_style", "date_joined", "tutor_memory"]
    return {name: getattr(user, name) for name in [*fields, *more]}


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([_cell(row[c]) for c in columns] for row in rows)
    return out.getvalue()


def learner_export_csv_zip(user: User) -> bytes:
    """A zip with one CSV per table (UTF-8 with a byte-order mark, which Excel needs to
    read accented text) and a README describing them."""
    rows = _rows(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        made = timezone.now().isoformat(timespec="seconds")
        archive.writestr("README.txt", README.format(version=FORMAT_VERSION, made=made))
        for name, columns in COLUMNS.items():
            archive.writestr(f"{name}.csv", "\ufeff" + _csv(columns, rows[name]))
    return buffer.getvalue()
