"""Evidence of practice per assignment: status, speaking time, attempts, target phrases each
learner actually said (with the turns that prove it), corrections by kind and the correct lines
the tutor showed a better way to say ("said better", `Upgrade`).

Phrase matching is in `lessons.text.phrase_match` (normalisation and the tolerance rule are
documented there). Everything here reads a fixed number of queries whatever the class size.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lessons.models import Assignment, Conversation, Correction, Membership, Turn, Upgrade
from lessons.selectors.assignments import (
    EMPTY,
    AssignmentProgress,
    AssignmentStatus,
    assignment_progress,
    conversation_totals,
)
from lessons.text.phrase_match import PhraseMatcher, normalise

if TYPE_CHECKING:
    from accounts.models import User

__all__ = [
    "AssignmentEvidence",
    "LearnerEvidence",
    "TurnRef",
    "assignment_evidence",
    "correction_counts",
    "live_evidence",
    "phrase_hits",
    "phrases_by_turn",
    "turns_in_assignments",
    "upgrade_counts",
]

UPGRADES = ("upgrade", _("Said better"))  # beside the correction kinds in the corrections cell

KINDS = Correction.Kind.choices


@dataclass(frozen=True)
class TurnRef:
    """A learner turn that shows a phrase in use (link: the transcript, anchor turn-<ordinal>)."""

    conversation_id: uuid.UUID
    ordinal: int
    text: str
    assignment_id: int


@dataclass(frozen=True)
class Attempt:
    conversation_id: uuid.UUID
    started_at: datetime
    seconds: float
    active: bool

    @property
    def minutes(self) -> float:
        return self.seconds / 60


@dataclass
class LearnerEvidence:
    learner: User
    progress: AssignmentProgress
    last_started: datetime | None
    phrases: list[tuple[str, list[TurnRef]]]
    corrections: dict[str, int]
    attempts: list[Attempt] = field(default_factory=list)
    upgrades: int = 0

    @property
    def corrections_by_kind(self) -> list[tuple[str, str, int]]:
        """(kind, label, count) in the fixed order of Correction.Kind."""
        return [(kind, str(label), self.corrections.get(kind, 0)) for kind, label in KINDS]

    @property
    def is_active(self) -> bool:
        return any(attempt.active for attempt in self.attempts)

    @property
    def finished_seconds(self) -> float:
        """Speaking time of attempts no longer running (the live view adds the running ones)."""
        return sum(attempt.seconds for attempt in self.attempts if not attempt.active)

    @property
    def phrases_used(self) -> int:
        return sum(1 for _, refs in self.phrases if refs)

    @property
    def corrections_total(self) -> int:
        return sum(self.corrections.values())


@dataclass
class AssignmentEvidence:
    assignment: Assignment
    rows: list[LearnerEvidence]
    phrases: list[str] = field(default_factory=list)
    kinds: list[tuple[str, str]] = field(
        default_factory=lambda: [(kind, str(label)) for kind, label in KINDS]
    )

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(AssignmentStatus.values, 0)
        for row in self.rows:
            counts[row.progress.status] += 1
        return counts


def assignment_evidence(
    assignment: Assignment, *, now: datetime | None = None, learner: User | None = None
) -> AssignmentEvidence:
    """One row per current member of the classroom (or just `learner`), in name order."""
    now = now or timezone.now()
    members = Membership.objects.filter(classroom_id=assignment.classroom_id)
    if learner is not None:
        members = members.filter(learner=learner)
    learners = [m.learner for m in members.select_related("learner").order_by("learner__email")]
    learners.sort(key=lambda user: user.name.casefold())
    ids = [user.pk for user in learners]
    totals = conversation_totals([assignment.pk], learners=ids)
    phrases = list(assignment.topic.target_phrases)
    hits = phrase_hits(phrases, turns_in_assignments([assignment.pk], ids))
    corrections = correction_counts([assignment.pk], ids)
    upgrades = upgrade_counts([assignment.pk], ids)
    attempts = _attempts(assignment, ids)
    rows = []
    for user in learners:
        total = totals.get((assignment.pk, user.pk), EMPTY)
        found = hits.get(user.pk, {})
        rows.append(
            LearnerEvidence(
                learner=user,
                progress=assignment_progress(assignment, total, now=now),
                last_started=total.last_started,
                phrases=[(phrase, found.get(phrase, [])) for phrase in phrases],
                corrections=corrections.get(user.pk, dict.fromkeys(Correction.Kind.values, 0)),
                attempts=attempts.get(user.pk, []),
                upgrades=upgrades.get(user.pk, 0),
            )
        )
    return AssignmentEvidence(assignment, rows, phrases)


def live_evidence(assignment_id: int, learner_id: int) -> dict[str, Any]:
    """One learner's two evidence cells for an assignment, for the teacher's live view
    (lessons.services.live_updates): each target phrase with the first turn that used it and
    how often, and the corrections by kind and the upgrades. Four queries, as the page's rows
    count them."""
    assignment = Assignment.objects.select_related("topic").get(pk=assignment_id)
    phrases = list(assignment.topic.target_phrases)
    turns = turns_in_assignments([assignment_id], [learner_id])
    found = phrase_hits(phrases, turns).get(learner_id, {})
    counts = correction_counts([assignment_id], [learner_id]).get(learner_id, {})
    upgrades = upgrade_counts([assignment_id], [learner_id]).get(learner_id, 0)
    return {
        "phrases": [_phrase_cell(phrase, found.get(phrase, [])) for phrase in phrases],
        "corrections": [
            # str(): this goes through the channel layer (msgpack), which takes no lazy text.
            *([kind, str(label), counts.get(kind, 0)] for kind, label in KINDS),
            [UPGRADES[0], str(UPGRADES[1]), upgrades],  # one more chip in the same cell
        ],
    }


def _phrase_cell(phrase: str, refs: list[TurnRef]) -> dict[str, Any]:
    first = refs[0] if refs else None
    return {
        "phrase": phrase,
        "uses": len(refs),
        "conversation": str(first.conversation_id) if first else None,
        "turn": first.ordinal if first else None,
        "text": first.text if first else "",
    }


def _attempts(assignment: Assignment, learners: list[int]) -> dict[int, list[Attempt]]:
    attempts: dict[int, list[Attempt]] = defaultdict(list)
    rows = (
        Conversation.objects.filter(assignment=assignment, learner__in=learners)
        .order_by("started_at")
        .values_list("learner_id", "id", "started_at", "learner_seconds", "status")
    )
    for learner, pk, started_at, seconds, status in rows:
        attempts[learner].append(Attempt(pk, started_at, seconds, status == "active"))
    return attempts


def turns_in_assignments(
    assignments: Iterable[int], learners: list[int]
) -> list[tuple[int, TurnRef]]:
    """(learner id, turn) for every learner turn in these assignments' conversations."""
    rows = (
        Turn.objects.filter(
            conversation__assignment__in=list(assignments),
            conversation__learner__in=learners,
            speaker=Turn.Speaker.LEARNER,
        )
        .order_by("conversation__started_at", "ordinal")
        .values_list(
            "conversation__learner_id",
            "conversation_id",
            "ordinal",
            "text",
            "conversation__assignment_id",
        )
    )
    return [
        (learner, TurnRef(conversation, ordinal, text, assignment))
        for learner, conversation, ordinal, text, assignment in rows
    ]


def phrase_hits(
    phrases: list[str], turns: list[tuple[int, TurnRef]]
) -> dict[int, dict[str, list[TurnRef]]]:
    """{learner id: {phrase: turns that use it}}; only the learner's own turns are searched."""
    matchers = [PhraseMatcher(phrase) for phrase in phrases]
    hits: dict[int, dict[str, list[TurnRef]]] = defaultdict(lambda: defaultdict(list))
    for learner, turn in turns:
        text = normalise(turn.text)
        for matcher in matchers:
            if matcher.matches_normalised(text):
                hits[learner][matcher.phrase].append(turn)
    return hits


def phrases_by_turn(phrases: list[str], turns: Iterable[Turn]) -> dict[int, list[str]]:
    """{turn ordinal: the target phrases used in it}, for marking up one transcript."""
    matchers = [PhraseMatcher(phrase) for phrase in phrases]
    used: dict[int, list[str]] = {}
    for turn in turns:
        text = normalise(turn.text)
        found = [m.phrase for m in matchers if m.matches_normalised(text)]
        if found:
            used[turn.ordinal] = found
    return used


def correction_counts(assignments: Iterable[int], learners: list[int]) -> dict[int, dict[str, int]]:
    """{learner id: {kind: count}} over these assignments' conversations, every kind present."""
    rows = (
        Correction.objects.filter(
            turn__conversation__assignment__in=list(assignments),
            turn__conversation__learner__in=learners,
        )
        .values("turn__conversation__learner_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(Correction.Kind.values, 0)
    )
    for row in rows:
        counts[row["turn__conversation__learner_id"]][row["kind"]] = row["n"]
    return counts


def upgrade_counts(assignments: Iterable[int], learners: list[int]) -> dict[int, int]:
    """{learner id: upgrades} over these assignments' conversations (absent: none)."""
    rows = (
        Upgrade.objects.filter(
            turn__conversation__assignment__in=list(assignments),
            turn__conversation__learner__in=learners,
        )
        .values("turn__conversation__learner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["turn__conversation__learner_id"]: row["n"] for row in rows}
