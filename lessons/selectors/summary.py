"""After a conversation: what the review page's summary says, decided here from the transcript.

- **The goal.** A topic's goal is its `learner_goal` (else its scenario). Tertulia cannot read
  intent, so the goal counts as met on evidence: the learner used at least half of the topic's
  target phrases (rounded up) and took at least `MIN_TURNS` turns of their own; a topic
  without target phrases needs the turns alone. Free talk has no goal.
- **Target phrases**, n of m, each with the learner turn that first used it (the same tolerant
  rule as the conversation page and the teacher's evidence, `lessons.text.phrase_match`).
- **Three corrections worth remembering.** Corrections of the kind that came up most often in
  the conversation come first (an error made again and again is the one to fix), then the most
  recent; a correction already listed with the same corrected text is skipped.
- **Next time.** The target phrases not used yet; and a topic: this one again while its goal is
  not met, else the learner's open assignment due first, else a library topic at the
  conversation's level in its language that they have not practised.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lessons.models import Assignment, Conversation, Correction, Topic, Turn
from lessons.selectors.assignments import open_assignments_for
from lessons.text.phrase_match import PhraseMatcher, normalise
from lessons.text.worddiff import Segment, word_diff

if TYPE_CHECKING:
    from accounts.models import User

MIN_TURNS = 3
REMEMBER = 3


@dataclass(frozen=True)
class Goal:
    text: str
    met: bool
    reason: str  # the evidence, in a sentence


@dataclass(frozen=True)
class TargetUse:
    phrase: str
    turn: int | None  # ordinal of the first learner turn that used it


@dataclass(frozen=True)
class Remembered:
    correction: Correction
    said: list[Segment]
    better: list[Segment]
    why: str


@dataclass(frozen=True)
class Suggestion:
    """What to practise next: a topic, started directly or through an assignment."""

    topic: Topic
    assignment: Assignment | None
    again: bool  # the same topic again


@dataclass(frozen=True)
class Summary:
    goal: Goal | None
    targets: list[TargetUse]
    remember: list[Remembered]
    unused: list[str]
    suggestion: Suggestion | None

    @property
    def targets_used(self) -> int:
        return sum(1 for target in self.targets if target.turn is not None)


def conversation_summary(
    conversation: Conversation,
    turns: Sequence[Turn],
    corrections: Sequence[Correction],
    learner: User,
) -> Summary:
    """The summary of a conversation whose turns (in order) and corrections are loaded."""
    said = [turn for turn in turns if turn.speaker == Turn.Speaker.LEARNER]
    topic = conversation.topic
    targets = target_uses(topic.target_phrases if topic else [], said)
    goal = judge_goal(topic, targets, len(said)) if topic else None
    return Summary(
        goal=goal,
        targets=targets,
        remember=worth_remembering(corrections, conversation.language),
        unused=[target.phrase for target in targets if target.turn is None],
        suggestion=next_topic(conversation, learner, again=goal is not None and not goal.met),
    )


def target_uses(phrases: Sequence[str], said: Sequence[Turn]) -> list[TargetUse]:
    normalised = [(turn.ordinal, normalise(turn.text)) for turn in said]
    uses = []
    for phrase in phrases:
        matcher = PhraseMatcher(phrase)
        first = next((o for o, text in normalised if matcher.matches_normalised(text)), None)
        uses.append(TargetUse(phrase, first))
    return uses


def judge_goal(topic: Topic, targets: list[TargetUse], learner_turns: int) -> Goal:
    text = topic.learner_goal or topic.scenario
    used = sum(1 for target in targets if target.turn is not None)
    needed = math.ceil(len(targets) / 2)
    if targets:
        evidence = ngettext(
            "You used %(used)s of %(targets)s target phrases in %(n)s turn of yours",
            "You used %(used)s of %(targets)s target phrases in %(n)s turns of yours",
            learner_turns,
        ) % {"used": used, "targets": len(targets), "n": learner_turns}
    else:
        evidence = ngettext(
            "You spoke %(n)s turn of yours", "You spoke %(n)s turns of yours", learner_turns
        ) % {"n": learner_turns}
    if used < needed:
        return Goal(
            text,
            False,
            _("%(evidence)s; at least %(n)s phrases show the goal met.")
            % {"evidence": evidence, "n": needed},
        )
    if learner_turns < MIN_TURNS:
        return Goal(
            text,
            False,
            _("%(evidence)s; at least %(n)s turns show the goal met.")
            % {"evidence": evidence, "n": MIN_TURNS},
        )
    return Goal(text, True, _("%(evidence)s.") % {"evidence": evidence})


def worth_remembering(corrections: Sequence[Correction], language: str) -> list[Remembered]:
    kinds = Counter(correction.kind for correction in corrections)
    ranked = sorted(corrections, key=lambda c: (-kinds[c.kind], -c.turn.ordinal, -c.pk))
    chosen: list[Remembered] = []
    seen: set[str] = set()
    for correction in ranked:
        key = normalise(correction.corrected)
        if key in seen:
            continue
        seen.add(key)
        label = Correction.Kind(correction.kind).label
        repeated = kinds[correction.kind]
        why = f"{label}: corrected {repeated} times" if repeated > 1 else f"{label}: most recent"
        chosen.append(
            Remembered(
                correction, *word_diff(correction.original, correction.corrected, language), why
            )
        )
        if len(chosen) == REMEMBER:
            break
    return chosen


def next_topic(conversation: Conversation, learner: User, *, again: bool) -> Suggestion | None:
    if again and conversation.topic is not None:
        return Suggestion(conversation.topic, conversation.assignment, again=True)
    for item in open_assignments_for(learner):
        if item.assignment.topic_id != conversation.topic_id:
            return Suggestion(item.assignment.topic, item.assignment, again=False)
    practised = Conversation.objects.owned_by(learner).exclude(topic=None).values("topic")
    topic = (
        Topic.objects.builtin()
        .for_language(conversation.language)
        .suits_level(conversation.level)
        .exclude(pk__in=practised)
        .order_by("level_min", "title")
        .first()
    )
    return Suggestion(topic, None, again=False) if topic else None
