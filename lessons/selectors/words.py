"""The words looked up in a conversation, per line, for the review page and the teacher's
transcript ("looked up: cansado, aunque")."""

from __future__ import annotations

from uuid import UUID

from lessons.models import WordLookup


def looked_up_by_turn(conversation_id: UUID) -> dict[int, list[str]]:
    """Turn id -> the words looked up on it, each once, in the order first tapped. Lookups the
    model could not answer are left out."""
    words: dict[int, list[str]] = {}
    rows = (
        WordLookup.objects.filter(
            conversation_id=conversation_id, turn__isnull=False, entry__isnull=False
        )
        .order_by("created_at", "id")
        .values_list("turn_id", "word")
    )
    for turn_id, word in rows:
        seen = words.setdefault(turn_id, [])
        if word.casefold() not in (w.casefold() for w in seen):
            seen.append(word)
    return words
