"""Read models of spoken placements: one result with its skills, quotes and transcript (the
learner's result page and the teacher's view of it), and a learner's latest one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lessons.models import PlacementResult, PlacementSkill, Turn

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class QuoteView:
    ordinal: int
    text: str
    partial: bool = False  # a part of the turn: the page marks the cut with an ellipsis


@dataclass(frozen=True)
class SkillView:
    skill: str
    label: str
    level: str
    rationale: str
    quotes: list[QuoteView]


@dataclass(frozen=True)
class PlacementView:
    result: PlacementResult
    skills: list[SkillView]
    turns: list[Turn]

    @property
    def learner_turns(self) -> int:
        return sum(1 for turn in self.turns if turn.speaker == Turn.Speaker.LEARNER)


SKILL_ORDER = [choice.value for choice in PlacementSkill.Skill]


def placement_view(result: PlacementResult, *, with_turns: bool = True) -> PlacementView:
    skills = sorted(
        result.skills.prefetch_related("quotes__turn"), key=lambda s: SKILL_ORDER.index(s.skill)
    )
    views = [
        SkillView(
            skill=s.skill,
            label=s.get_skill_display(),
            level=s.level,
            rationale=s.rationale,
            quotes=[
                QuoteView(q.turn.ordinal, q.quote, _partial(q.quote, q.turn.text))
                for q in s.quotes.all()
            ],
        )
        for s in skills
    ]
    turns = list(result.conversation.turns.order_by("ordinal")) if with_turns else []
    return PlacementView(result, views, turns)


def latest_placement(learner: User) -> PlacementResult | None:
    """The learner's most recent assessed placement, for their teacher and their profile."""
    ready = PlacementResult.objects.filter(learner=learner, status=PlacementResult.Status.READY)
    return ready.select_related("conversation").order_by("-created_at").first()


def placements_of(learner: User, limit: int = 5) -> list[PlacementResult]:
    results = PlacementResult.objects.filter(learner=learner).select_related("conversation")
    return list(results.order_by("-created_at")[:limit])


def _partial(quote: str, said: str) -> bool:
    return " ".join(quote.split()).casefold() != " ".join(said.split()).casefold()
