"""Learners join a classroom by code or link, and may leave it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lessons.forms_teacher import JoinForm
from lessons.models import Classroom
from lessons.services.classrooms import classroom_by_code, classroom_join, classroom_remove_learner
from lessons.services.privacy import class_privacy
from lessons.teacher_views.access import user_of


@login_required
@require_http_methods(["GET", "POST"])
def join_by_code(request: HttpRequest) -> HttpResponse:
    """A form for a code read out in class; a good code leads to the confirmation page."""
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if classroom_by_code(form.cleaned_data["code"]) is not None:
            return redirect("teach:join", code=form.cleaned_data["code"])
        form.add_error("code", _("No classroom has this code. Check it with your teacher."))
    return render(request, "lessons/teacher/join_code.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    classroom = classroom_by_code(code)
    if classroom is None:
        form = JoinForm(initial={"code": code})
        context = {"form": form, "bad_code": True}
        return render(request, "lessons/teacher/join_code.html", context, status=404)
    is_member = classroom.learners.filter(pk=user_of(request).pk).exists()
    if request.method == "POST" and not is_member:
        try:
            classroom_join(learner=user_of(request), classroom=classroom)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("teach:dashboard")
        messages.success(
            request,
            _("You joined %(classroom)s. Its assignments appear below.")
            % {"classroom": classroom.name},
        )
        return redirect("lessons:home")
    context = {"classroom": classroom, "is_member": is_member, "privacy": class_privacy(classroom)}
    return render(request, "lessons/teacher/join.html", context)


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = get_object_or_404(Classroom, pk=pk, learners=user_of(request))
    classroom_remove_learner(classroom=classroom, learner=user_of(request))
    messages.success(
        request,
        _("You left %(classroom)s. Your teacher no longer sees your work.")
        % {"classroom": classroom.name},
    )
    return redirect("lessons:home")
