"""The learner's conversations: the history list (with search) and the review of one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.choices import LANGUAGE_NAMES
from accounts.requests import AuthedRequest
from lessons.models import Comment, Conversation, Correction, Phrase, Turn
from lessons.search import conversations_matching, snippets_for
from lessons.services.stats import corrections_by_kind, figures_of, with_figures
from lessons.worddiff import Segment, word_diff

PAGE_SIZE = 20


class HistoryFilter(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search your transcripts")
    language = forms.ChoiceField(required=False, label="Language")
    topic = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Topic")

    def __init__(self, data: Any, *, choices: list[tuple[str, int | None, str | None]]) -> None:
        super().__init__(data)
        languages = sorted({language for language, _, _ in choices})
        topics = sorted({(t, title) for _, t, title in choices if t}, key=lambda p: p[1] or "")
        cast(forms.ChoiceField, self.fields["language"]).choices = [
            ("", "All languages"),
            *((code, LANGUAGE_NAMES.get(code, code)) for code in languages),
        ]
        cast(forms.ChoiceField, self.fields["topic"]).choices = [("", "All topics"), *topics]


def _filtered(user: Any, form: HistoryFilter, query: str, languages: list[str]) -> QuerySet[Any]:
    conversations: QuerySet[Any] = Conversation.objects.owned_by(user)
    if not form.is_valid():
        return conversations
    if form.cleaned_data["language"]:
        conversations = conversations.filter(language=form.cleaned_data["language"])
    if form.cleaned_data["topic"]:
        conversations = conversations.filter(topic_id=form.cleaned_data["topic"])
    if query:
        conversations = conversations_matching(conversations, query, languages)
    return conversations


@login_required
@require_GET
def history(request: AuthedRequest) -> HttpResponse:
    user = request.user
    used = list(
        Conversation.objects.owned_by(user)
        .order_by()
        .values_list("language", "topic_id", "topic__title")
        .distinct()
    )
    form = HistoryFilter(request.GET or None, choices=used)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    # Search only in the languages the learner's conversations are in: simpler query plans.
    languages = sorted({language for language, _, _ in used})
    if form.is_valid() and form.cleaned_data["language"]:
        languages = [form.cleaned_data["language"]]
    ordered = _filtered(user, form, query, languages).order_by("-started_at", "pk")
    # Page over ids, then compute figures for that page only: with OFFSET, PostgreSQL would
    # evaluate the figure subqueries of every skipped row too.
    page = Paginator(ordered.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = Conversation.objects.filter(pk__in=list(page.object_list))
    rows = list(with_figures(shown).select_related("topic").order_by("-started_at", "pk"))
    snippets = snippets_for([c.pk for c in rows], query, languages) if query and rows else {}
    context = {
        "form": form,
        "page": page,
        "rows": [(c, figures_of(c), snippets.get(c.pk, [])) for c in rows],
        "query": query,
        "has_any": bool(used),
        "filtered": form.is_valid() and any(form.cleaned_data.values()),
    }
    return render(request, "lessons/learner/history.html", context)


@dataclass(frozen=True)
class CorrectionView:
    correction: Correction
    said: list[Segment]
    better: list[Segment]


@dataclass
class TurnView:
    turn: Turn
    corrections: list[CorrectionView]
    comments: list[Comment] = field(default_factory=list)

    @property
    def clock(self) -> str:
        seconds = self.turn.started_ms // 1000
        return f"{seconds // 60}:{seconds % 60:02d}"


def _turn_views(conversation: Conversation, comments: list[Comment]) -> list[TurnView]:
    views = {}
    for turn in conversation.turns.prefetch_related("corrections").order_by("ordinal"):
        corrections = [
            CorrectionView(c, *word_diff(c.original, c.corrected, conversation.language))
            for c in turn.corrections.all()
        ]
        views[turn.pk] = TurnView(turn, corrections)
    for comment in comments:
        if comment.turn_id in views:
            views[comment.turn_id].comments.append(comment)
    return list(views.values())


def _phrases(conversation: Conversation) -> list[Phrase]:
    """Cards born in this conversation, including ones first noted in an earlier one."""
    turns = Turn.objects.filter(conversation=conversation).values("pk")
    corrections = Correction.objects.filter(turn__conversation=conversation).values("pk")
    # IN-subqueries rather than joins: each branch uses its own index on Phrase.
    here = (
        Q(conversation=conversation)
        | Q(source_turn__in=turns)
        | Q(source_correction__in=corrections)
    )
    mine = Phrase.objects.filter(here, learner_id=conversation.learner_id)
    return list(mine.order_by("created_at", "pk"))


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
        "figures": figures_of(conversation),
        "by_kind": corrections_by_kind(corrections),
        "correction_count": len(corrections),
        "phrases": _phrases(conversation),
        "general_comments": [c for c in comments if c.turn_id not in shown_on_turns],
        "comment_count": len(comments),
    }
    return render(request, "lessons/learner/review.html", context)
