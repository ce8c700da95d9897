"""The learner's conversations: the history list, with search and filters."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET

from accounts.choices import LANGUAGE_NAMES
from accounts.requests import AuthedRequest
from lessons.models import Conversation
from lessons.selectors.figures import figures_of, with_figures
from lessons.selectors.search import conversations_matching, snippets_for

PAGE_SIZE = 20


class HistoryFilter(forms.Form):
    q = forms.CharField(
        required=False, max_length=200, label=gettext_lazy("Search your transcripts")
    )
    language = forms.ChoiceField(required=False, label=gettext_lazy("Language"))
    topic = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label=gettext_lazy("Topic")
    )

    def __init__(self, data: Any, *, choices: list[tuple[str, int | None, str | None]]) -> None:
        super().__init__(data)
        languages = sorted({language for language, _, _ in choices})
        topics = sorted({(t, title) for _, t, title in choices if t}, key=lambda p: p[1] or "")
        cast(forms.ChoiceField, self.fields["language"]).choices = [
            ("", gettext("All languages")),
            *((code, LANGUAGE_NAMES.get(code, code)) for code in languages),
        ]
        cast(forms.ChoiceField, self.fields["topic"]).choices = [
            ("", gettext("All topics")),
            *topics,
        ]


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
