"""Writes to a learner's memory (lessons.models.memory): the update after a conversation, the
learner's own edits, and the on/off switch. The budget is enforced here, on every write."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import (
    MEMORY_LINE_CHARS,
    MEMORY_MAX_CHARS,
    MEMORY_MAX_LINES,
    Conversation,
    MemoryLine,
)

if TYPE_CHECKING:
    from accounts.models import User

KINDS = frozenset(MemoryLine.Kind.values)
Snapshot = tuple[tuple[int, str, str], ...]


class MemoryRefused(ValueError):
    """A learner's edit that cannot be kept; `str(exc)` is the message to show."""


def clean_line(text: str) -> str:
    """One line of plain words: whitespace folded, at most MEMORY_LINE_CHARS (cut at a word)."""
    line = " ".join(str(text).split())
    if len(line) <= MEMORY_LINE_CHARS:
        return line
    cut = line[: MEMORY_LINE_CHARS - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


def fit_budget(lines: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(kind, text) pairs, most useful first, cut to the budget: unknown kinds, blanks and
    repeats go; then lines are kept in order while they fit in MEMORY_MAX_LINES lines and
    MEMORY_MAX_CHARS characters, so the least useful (last) are the ones dropped."""
    kept: list[tuple[str, str]] = []
    seen: set[str] = set()
    total = 0
    for kind, text in lines:
        line = clean_line(text)
        key = line.casefold()
        if kind not in KINDS or not line or key in seen:
            continue
        if len(kept) >= MEMORY_MAX_LINES:
            break
        if total + len(line) > MEMORY_MAX_CHARS:
            continue  # a shorter line further down may still fit
        kept.append((kind, line))
        seen.add(key)
        total += len(line)
    return kept


def memory_snapshot(learner_id: int) -> Snapshot:
    """What the memory holds now; an update writes only if it is still this (see below)."""
    rows = MemoryLine.objects.filter(learner_id=learner_id).order_by("position", "pk")
    return tuple((pk, text, when.isoformat()) for pk, text, when in rows.values_list(
        "pk", "text", "updated_at"
    ))  # fmt: skip


def memory_replace(
    *,
    learner_id: int,
    lines: Sequence[tuple[str, str]],
    conversation_ids: Sequence[UUID],
    source_id: UUID | None,
    expected: Snapshot,
) -> bool:
    """Store the updated memory and mark `conversation_ids` as taken in, in one transaction.

    False, storing nothing, if the learner edited their memory or turned it off since it was
    read (`expected`): their words win, and the conversations wait for the next update."""
    from accounts.models import User

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=learner_id)
        if not user.tutor_memory or memory_snapshot(learner_id) != expected:
            return False
        old = {(line.kind, line.text): line for line in user.memory_lines.all()}
        now = timezone.now()
        fresh = []
        for position, (kind, text) in enumerate(fit_budget(lines)):
            before = old.get((kind, text))
            fresh.append(
                MemoryLine(
                    learner_id=learner_id,
                    kind=kind,
                    text=text,
                    position=position,
                    source_id=before.source_id if before else source_id,
                    updated_at=before.updated_at if before else now,
                )
            )
        MemoryLine.objects.filter(learner_id=learner_id).delete()
        MemoryLine.objects.bulk_create(fresh)
        Conversation.objects.filter(pk__in=conversation_ids, learner_id=learner_id).update(
            remembered_at=now
        )
    return True


def memory_edit_line(*, learner: User, line_id: int, text: str) -> MemoryLine:
    """The learner rewrites one line. MemoryRefused for a blank line or one that would take
    the memory over its budget; MemoryLine.DoesNotExist for another learner's line."""
    line = MemoryLine.objects.get(pk=line_id, learner=learner)
    new = " ".join(text.split())
    if not new:
        raise MemoryRefused(_("A line cannot be empty. To remove it, use Delete."))
    if len(new) > MEMORY_LINE_CHARS:
        raise MemoryRefused(
            _("Keep each line under %(max)s characters.") % {"max": MEMORY_LINE_CHARS}
        )
    others = MemoryLine.objects.filter(learner=learner).exclude(pk=line.pk)
    if sum(len(t) for t in others.values_list("text", flat=True)) + len(new) > MEMORY_MAX_CHARS:
        raise MemoryRefused(
            _(
                "Your tutor's memory holds at most %(max)s characters. "
                "Shorten this line or delete another one."
            )
            % {"max": MEMORY_MAX_CHARS}
        )
    line.text, line.updated_at = new, timezone.now()
    line.save(update_fields=["text", "updated_at"])
    return line


def memory_delete_line(*, learner: User, line_id: int) -> int:
    """Delete one of the learner's lines; how many went (0 if it was not theirs)."""
    deleted, _by_model = MemoryLine.objects.filter(pk=line_id, learner=learner).delete()
    return deleted


def memory_clear(*, learner: User) -> int:
    deleted, _by_model = MemoryLine.objects.filter(learner=learner).delete()
    return deleted


def memory_switch(*, learner: User, on: bool, forget: bool = False) -> None:
    """Turn the tutor's memory on or off. Off stops updates (and `forget` deletes every line);
    on again takes in only conversations that end from now on."""
    with transaction.atomic():
        fields = ["tutor_memory"]
        if on and not learner.tutor_memory:
            learner.tutor_memory_since = timezone.now()
            fields.append("tutor_memory_since")
        learner.tutor_memory = on
        learner.save(update_fields=fields)
        if not on and forget:
            memory_clear(learner=learner)
