"""The learner's own memory, on their profile (templates/lessons/_memory.html, drawn there by
the `learner_memory` tag): edit or delete a line, turn memory off or on. POST only; each sends
the learner back to the profile with a message saying what happened."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.requests import AuthedRequest
from lessons.models import MemoryLine
from lessons.services.memory import (
    MemoryRefused,
    memory_clear,
    memory_delete_line,
    memory_edit_line,
    memory_switch,
)


def _back() -> HttpResponse:
    return redirect(reverse("accounts:profile") + "#memory")


@login_required
@require_POST
def edit_line(request: AuthedRequest, line_id: int) -> HttpResponse:
    try:
        line = memory_edit_line(
            learner=request.user, line_id=line_id, text=request.POST.get("text", "")
        )
    except MemoryLine.DoesNotExist:
        raise Http404("No such line") from None
    except MemoryRefused as exc:
        messages.error(request, _("Not saved: %(error)s") % {"error": exc})
        return _back()
    messages.success(
        request, _("Saved. Your tutor now remembers: “%(text)s”") % {"text": line.text}
    )
    return _back()


@login_required
@require_POST
def delete_line(request: AuthedRequest, line_id: int) -> HttpResponse:
    if not memory_delete_line(learner=request.user, line_id=line_id):
        raise Http404("No such line")
    messages.success(request, _("Deleted. Your tutor has forgotten that line."))
    return _back()


@login_required
@require_POST
def switch(request: AuthedRequest) -> HttpResponse:
    on = request.POST.get("memory") == "on"
    forget = request.POST.get("forget") == "yes"
    memory_switch(learner=request.user, on=on, forget=forget)
    if on:
        messages.success(
            request, _("Memory is on. Your tutor will remember your next conversations.")
        )
    elif forget:
        messages.success(
            request, _("Memory is off, and everything your tutor remembered is deleted.")
        )
    else:
        messages.success(
            request, _("Memory is off. Your tutor will not use or update what it remembers.")
        )
    return _back()


@login_required
@require_POST
def forget_all(request: AuthedRequest) -> HttpResponse:
    memory_clear(learner=request.user)
    messages.success(request, _("Deleted. Your tutor remembers nothing about you now."))
    return _back()
