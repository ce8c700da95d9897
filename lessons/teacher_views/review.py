"""The review queue and a learner's transcript, where the teacher leaves comments."""

from __future__ import annotations

import uuid
from collections import Counter

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lessons.forms_teacher import CommentForm
from lessons.models import Conversation, Turn
from lessons.selectors.counts import counts_of
from lessons.selectors.evidence import phrases_by_turn
from lessons.selectors.hints import hints_by_turn
from lessons.selectors.review_queue import Flag, flags_for, review_queue
from lessons.selectors.words import looked_up_by_turn
from lessons.services.comments import comment_add
from lessons.services.privacy import teacher_may_listen
from lessons.teacher_views.access import teacher_required, user_of, visible_conversation
from lessons.text.worddiff import word_diff


@teacher_required
def queue(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("show") == "all"
    items = review_queue(user_of(request), include_reviewed=show_all)
    return render(request, "lessons/teacher/review.html", {"items": items, "show_all": show_all})


@teacher_required
@require_http_methods(["GET", "POST"])
def transcript(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    conversation = visible_conversation(request, pk)
    learner, assignment = conversation.learner, conversation.assignment
    if learner is None or assignment is None:  # visible_conversation requires both
        raise Http404("No such conversation")
    turns = list(
        conversation.turns.select_related("audio")
        .prefetch_related("corrections", "upgrades")
        .order_by("ordinal")
    )
    learner_turns = [turn for turn in turns if turn.speaker == Turn.Speaker.LEARNER]
    form = CommentForm(request.POST or None, turns=learner_turns)
    if request.method == "POST" and form.is_valid():
        comment_add(
            conversation=conversation,
            author=user_of(request),
            text=form.cleaned_data["text"],
            turn=form.cleaned_data["turn"],
        )
        messages.success(
            request, _("Comment saved. %(learner)s will see it.") % {"learner": learner.name}
        )
        return redirect("teach:transcript", pk=conversation.pk)
    used = phrases_by_turn(assignment.topic.target_phrases, learner_turns)
    looked_up = looked_up_by_turn(conversation.pk)
    for turn in turns:
        turn.looked_up = looked_up.get(turn.pk, [])  # type: ignore[attr-defined]
    hints = hints_by_turn(conversation.pk, learner_turns)
    for turn in learner_turns:
        turn.used_phrases = used.get(turn.ordinal, [])  # type: ignore[attr-defined]
        turn.hint = hints.get(turn.ordinal)  # type: ignore[attr-defined]
        # The changed words marked, as the learner's review page shows them.
        turn.diffs = [  # type: ignore[attr-defined]
            (c, *word_diff(c.original, c.corrected, conversation.language))
            for c in turn.corrections.all()
        ]
        turn.upgrade_diffs = [  # type: ignore[attr-defined]
            (u, *word_diff(u.original, u.upgraded, conversation.language))
            for u in turn.upgrades.all()
        ]
    context = {
        "conversation": conversation,
        "assignment": assignment,
        "turns": turns,
        "speaking_minutes": conversation.learner_seconds / 60,
        "counts": counts_of(conversation),  # (corrections, phrases), as the learner sees them
        "comments": conversation.comments.select_related("author", "turn"),
        "flags": _flags(conversation, learner_turns),
        "form": form,
        "listen": teacher_may_listen(conversation),
    }
    return render(request, "lessons/teacher/transcript.html", context)


def _flags(conversation: Conversation, turns: list[Turn]) -> list[Flag]:
    kinds = Counter(c.kind for turn in turns for c in turn.corrections.all())
    return flags_for(conversation, [turn.text for turn in turns], kinds)
