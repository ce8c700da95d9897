"""Reads of a learner's memory: for their profile, for the next system instruction, and what
an update after a conversation needs. Teachers' pages never call these."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from lessons.models import Conversation, Correction, MemoryLine, Turn
from lessons.services.memory import Snapshot, fit_budget, memory_snapshot
from lessons.services.privacy import memory_allowed

if TYPE_CHECKING:
    from accounts.models import User

# What one update reads: the newest conversations not yet taken in, and of each its last turns.
UPDATE_CONVERSATIONS = 3
UPDATE_TURNS = 40
TURN_CHARS = 300
RECURRING_LOOKBACK = 10  # conversations in which a repeated correction counts as recurring


@dataclass(frozen=True)
class Transcript:
    conversation_id: UUID
    topic: str  # "" for free talk
    turns: list[tuple[str, str]]  # (speaker, text), speaker "learner" or "tutor"
    corrections: list[tuple[str, str, str]]  # (original, corrected, explanation)


@dataclass(frozen=True)
class UpdateInput:
    learner_id: int
    name: str
    language: str  # the target language of the newest conversation
    native_language: str
    lines: list[tuple[str, str]]  # the memory now, (kind, text)
    snapshot: Snapshot
    transcripts: list[Transcript]  # oldest first
    pending: list[UUID]  # every conversation this update takes in (some may have no words)
    recurring: list[str] = field(default_factory=list)  # corrections seen more than once


def memory_lines(learner: User) -> list[MemoryLine]:
    return list(MemoryLine.objects.filter(learner=learner).order_by("position", "pk"))


def memory_for_prompt(conversation: Conversation) -> list[tuple[str, str]]:
    """(kind, text) lines for the system instruction: none for a trial, none when the learner
    turned memory off or one of their classes keeps none, and never over the budget."""
    learner = conversation.learner
    if learner is None or conversation.trial_session_key or not learner.tutor_memory:
        return []
    # A class that keeps no memory of its learners wins (lessons.services.privacy's rule,
    # read from `classrooms.all()`, which the conversation socket prefetches too).
    if not all(classroom.tutor_memory for classroom in learner.classrooms.all()):
        return []
    # .all(): the conversation socket prefetches the lines (it builds the prompt in async code).
    rows = sorted(learner.memory_lines.all(), key=lambda line: (line.position, line.pk))
    return fit_budget((line.kind, line.text) for line in rows)


def pending_conversations(learner: User) -> list[Conversation]:
    """The learner's ended conversations the memory has not taken in yet, newest first. Only
    those that ended after memory was (last) turned on, and never a trial's."""
    return list(
        Conversation.objects.owned_by(learner)
        .finished()
        .filter(
            remembered_at__isnull=True,
            trial_session_key="",
            ended_at__gte=learner.tutor_memory_since,
        )
        .select_related("topic")
        .order_by("-ended_at", "-started_at")
    )


def memory_update_input(learner_id: int) -> UpdateInput | None:
    """What the next update needs, or None: memory off (by the learner or one of their
    classes), or nothing new to take in."""
    from accounts.models import User

    learner = User.objects.filter(pk=learner_id).first()
    if learner is None or not learner.tutor_memory or not memory_allowed(learner):
        return None
    pending = pending_conversations(learner)
    if not pending:
        return None
    transcripts = [t for c in pending[:UPDATE_CONVERSATIONS] if (t := _transcript(c)).turns]
    return UpdateInput(
        learner_id=learner.pk,
        name=learner.name,
        language=pending[0].language,
        native_language=learner.native_language,
        lines=[(line.kind, line.text) for line in memory_lines(learner)],
        snapshot=memory_snapshot(learner.pk),
        transcripts=transcripts[::-1],
        pending=[c.pk for c in pending],
        recurring=recurring_errors(learner),
    )


def _transcript(conversation: Conversation) -> Transcript:
    rows = (
        Turn.objects.filter(conversation=conversation)
        .exclude(text="")
        # Another learner's lines in a group conversation say nothing about this learner,
        # and what they said of themselves is theirs to be remembered, not this one's.
        .exclude(speaker=Turn.Speaker.PEER)
        .order_by("-ordinal")
        .values_list("speaker", "text")[:UPDATE_TURNS]
    )
    turns = [(speaker, text[:TURN_CHARS]) for speaker, text in reversed(rows)]
    if not any(speaker == Turn.Speaker.LEARNER for speaker, _ in turns):
        turns = []
    corrections = Correction.objects.filter(turn__conversation=conversation).order_by("pk")
    return Transcript(
        conversation_id=conversation.pk,
        topic=conversation.topic.title if conversation.topic else "",
        turns=turns,
        corrections=[
            (c.original[:TURN_CHARS], c.corrected[:TURN_CHARS], c.explanation[:TURN_CHARS])
            for c in corrections[:20]
        ],
    )


def recurring_errors(learner: User) -> list[str]:
    """Corrections the learner got in more than one recent conversation, worded the same way
    (the corrected form): derived from stored corrections, no model needed."""
    recent = Conversation.objects.owned_by(learner).order_by("-started_at")
    ids = list(recent.values_list("pk", flat=True)[:RECURRING_LOOKBACK])
    seen: Counter[str] = Counter()
    shown: dict[str, str] = {}
    rows = Correction.objects.filter(turn__conversation_id__in=ids).values_list(
        "turn__conversation_id", "corrected", "explanation"
    )
    counted: set[tuple[UUID, str]] = set()
    for conversation_id, corrected, explanation in rows:
        key = " ".join(corrected.casefold().split()).rstrip(".!?")
        if key and (conversation_id, key) not in counted:
            counted.add((conversation_id, key))
            seen[key] += 1
            why = f" ({explanation.strip()})" if explanation.strip() else ""
            shown.setdefault(key, f"«{corrected.strip()}»{why}")
    return [shown[key] for key, count in seen.most_common(5) if count > 1]
