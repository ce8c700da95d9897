"""The review of one of the learner's conversations: transcript, corrections, upgrades ("say it
better"), phrases and teacher comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.requests import AuthedRequest
from lessons.models import Comment, Conversation, Correction, Turn, Upgrade
from lessons.selectors.counts import noted_phrases
from lessons.selectors.figures import corrections_by_kind, figures_of, with_figures
from lessons.selectors.groups import conversation_group_talk
from lessons.selectors.hints import HintUse, hints_by_turn
from lessons.selectors.rubrics import LearnerRubric, learner_rubric
from lessons.selectors.summary import conversation_summary
from lessons.selectors.words import looked_up_by_turn
from lessons.text.worddiff import Segment, word_diff


@dataclass(frozen=True)
class CorrectionView:
    correction: Correction
    said: list[Segment]
    better: list[Segment]


@dataclass(frozen=True)
class UpgradeView:
    upgrade: Upgrade
    said: list[Segment]
    better: list[Segment]


@dataclass
class TurnView:
    turn: Turn
    corrections: list[CorrectionView]
    comments: list[Comment] = field(default_factory=list)
    upgrades: list[UpgradeView] = field(default_factory=list)
    looked_up: list[str] = field(default_factory=list)  # words the learner tapped on it
    hint: HintUse | None = None  # "What could I say?" was asked before this turn

    @property
    def clock(self) -> str:
        seconds = self.turn.started_ms // 1000
        return f"{seconds // 60}:{seconds % 60:02d}"


def _turn_views(conversation: Conversation, comments: list[Comment]) -> list[TurnView]:
    views = {}
    turns = conversation.turns.prefetch_related("corrections", "upgrades").order_by("ordinal")
    for turn in turns:
        corrections = [
            CorrectionView(c, *word_diff(c.original, c.corrected, conversation.language))
            for c in turn.corrections.all()
        ]
        upgrades = [
            UpgradeView(u, *word_diff(u.original, u.upgraded, conversation.language))
            for u in turn.upgrades.all()
        ]
        views[turn.pk] = TurnView(turn, corrections, upgrades=upgrades)
    for comment in comments:
        if comment.turn_id in views:
            views[comment.turn_id].comments.append(comment)
    for turn_id, words in looked_up_by_turn(conversation.pk).items():
        if turn_id in views:
            views[turn_id].looked_up = words
    hints = hints_by_turn(conversation.pk, [view.turn for view in views.values()])
    for view in views.values():
        view.hint = hints.get(view.turn.ordinal)
    return list(views.values())


@login_required
@require_GET
def conversation_review(request: AuthedRequest, conversation_id: UUID) -> HttpResponse:
    # Someone else's conversation, or an anonymous trial, is a 404: its existence is not told.
    conversation = get_object_or_404(
        with_figures(Conversation.objects.owned_by(request.user)).select_related("topic"),
        pk=conversation_id,
    )
    comments = list(
        Comment.objects.filter(conversation=conversation).select_related("author", "turn")
    )
    turns = _turn_views(conversation, comments)
    corrections = [c.correction for t in turns for c in t.corrections]
    shown_on_turns = {t.turn.pk for t in turns}
    context = {
        "conversation": conversation,
        "turns": turns,
        # Counts come from the figures (lessons.selectors.counts), as on the history list.
        "figures": figures_of(conversation),
        "by_kind": corrections_by_kind(corrections),
        "phrases": noted_phrases(conversation),
        "general_comments": [c for c in comments if c.turn_id not in shown_on_turns],
        "comment_count": len(comments),
        "rubric": _decided_rubric(conversation, request.user),
        "group_talk": conversation_group_talk(conversation),
        "summary": conversation_summary(
            conversation, [t.turn for t in turns], corrections, request.user
        ),
    }
    return render(request, "lessons/learner/review.html", context)


def _decided_rubric(conversation: Conversation, learner: User) -> LearnerRubric | None:
    """The assignment's rubric once the teacher has decided every criterion: before that the
    learner would see the tutor's proposals, which are the teacher's to accept."""
    if conversation.assignment_id is None:
        return None
    rubric = learner_rubric(conversation.assignment, learner)  # type: ignore[arg-type]
    return rubric if rubric is not None and rubric.total.complete else None
