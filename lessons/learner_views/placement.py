"""The spoken placement's pages: what it is (with a start button), and one placement's result
with the form to confirm a level. Starting and assessing need the tutor (tutor.placement)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.choices import Level
from accounts.requests import AuthedRequest
from lessons.models import Conversation, PlacementResult
from lessons.selectors.placement import placement_view, placements_of
from lessons.services.placement import OtherLanguage, placement_confirm


class ConfirmLevelForm(forms.Form):
    level = forms.ChoiceField(
        choices=Level.choices,
        widget=forms.RadioSelect,
        label=gettext_lazy("The level to practise at"),
    )


@require_GET
@login_required
def placement(request: AuthedRequest) -> HttpResponse:
    context = {"placements": placements_of(request.user)}
    return render(request, "lessons/learner/placement.html", context)


@require_GET
@login_required
def placement_result(request: AuthedRequest, pk: int) -> HttpResponse:
    result = _own(request, pk)
    if result.conversation.status == Conversation.Status.ACTIVE:
        return redirect(result.conversation)
    initial = result.confirmed_level or result.suggested_level or result.declared_level
    context = {
        "view": placement_view(result),
        "result": result,
        "form": ConfirmLevelForm(initial={"level": initial}),
        "language_name": result.conversation.get_language_display(),
    }
    return render(request, "lessons/learner/placement_result.html", context)


@require_POST
@login_required
def placement_level(request: AuthedRequest, pk: int) -> HttpResponse:
    result = _own(request, pk)
    form = ConfirmLevelForm(request.POST)
    if result.status != PlacementResult.Status.READY or not form.is_valid():
        messages.error(request, _("Choose one of the six levels."))
        return redirect("learn:placement_result", pk=result.pk)
    level = form.cleaned_data["level"]
    try:
        placement_confirm(result, level)
    except OtherLanguage as exc:
        messages.error(request, str(exc))
        return redirect("learn:placement_result", pk=result.pk)
    messages.success(
        request,
        _("Your level is now %(level)s. The tutor will speak to it.")
        % {"level": Level(level).label},
    )
    return redirect("accounts:profile")


def _own(request: AuthedRequest, pk: int) -> PlacementResult:
    results = PlacementResult.objects.select_related("conversation", "learner")
    return get_object_or_404(results, pk=pk, learner=request.user)
