"""The teacher's start page, classrooms, their learners and each learner's term."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.choices import LANGUAGE_NAMES
from lessons.forms_teacher import ClassroomForm
from lessons.selectors.dashboards import classroom_overview, teacher_overview
from lessons.selectors.placement import latest_placement, placement_view
from lessons.selectors.review_queue import review_queue
from lessons.selectors.teaching import classroom_defaults, taught_languages
from lessons.selectors.trends import learner_trends
from lessons.services.classrooms import (
    classroom_create,
    classroom_remove_learner,
    classroom_rotate_code,
)
from lessons.teacher_views.access import member_of, own_classroom, teacher_required, user_of


@teacher_required
def dashboard(request: HttpRequest) -> HttpResponse:
    teacher = user_of(request)
    overview = teacher_overview(teacher)
    taught = taught_languages(teacher, [classroom.language for classroom in overview.classrooms])
    context = {
        "overview": overview,
        "review_count": len(review_queue(teacher)),
        "taught": [LANGUAGE_NAMES.get(code, code) for code in taught],
    }
    return render(request, "lessons/teacher/dashboard.html", context)


@teacher_required
@require_http_methods(["GET", "POST"])
def classroom_new(request: HttpRequest) -> HttpResponse:
    form = ClassroomForm(request.POST or None, initial=classroom_defaults(user_of(request)))
    if request.method == "POST" and form.is_valid():
        classroom = classroom_create(teacher=user_of(request), **form.cleaned_data)
        messages.success(
            request,
            _("“%(classroom)s” is ready. Share the join code or link.")
            % {"classroom": classroom.name},
        )
        return redirect("teach:classroom", pk=classroom.pk)
    return render(request, "lessons/teacher/classroom_form.html", {"form": form})


@teacher_required
def classroom_detail(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    join_url = request.build_absolute_uri(reverse("teach:join", args=[classroom.join_code]))
    context = {"overview": classroom_overview(classroom), "join_url": join_url}
    return render(request, "lessons/teacher/classroom.html", context)


@teacher_required
@require_POST
def classroom_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    code = classroom_rotate_code(classroom=classroom)
    messages.success(
        request,
        _("New join code: %(code)s. The old code and link no longer work.") % {"code": code},
    )
    return redirect("teach:classroom", pk=classroom.pk)


@teacher_required
@require_http_methods(["GET", "POST"])
def learner_remove(request: HttpRequest, pk: int, learner_pk: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    learner = member_of(classroom, learner_pk)
    if request.method == "POST":
        classroom_remove_learner(classroom=classroom, learner=learner)
        messages.success(
            request,
            _("%(learner)s is no longer in %(classroom)s.")
            % {"learner": learner.name, "classroom": classroom.name},
        )
        return redirect("teach:classroom", pk=classroom.pk)
    context = {"classroom": classroom, "learner": learner}
    return render(request, "lessons/teacher/learner_remove.html", context)


@teacher_required
def learner_progress(request: HttpRequest, pk: int, learner_pk: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    learner = member_of(classroom, learner_pk)
    placement = latest_placement(learner)
    context = {
        "trends": learner_trends(classroom, learner),
        "placement": placement_view(placement, with_turns=False) if placement else None,
    }
    return render(request, "lessons/teacher/learner.html", context)


@teacher_required
def learner_placement(request: HttpRequest, pk: int, learner_pk: int) -> HttpResponse:
    """The learner's latest spoken placement in full: levels, rationale and transcript."""
    classroom = own_classroom(request, pk)
    learner = member_of(classroom, learner_pk)
    placement = latest_placement(learner)
    if placement is None:
        raise Http404("No placement")
    context = {"classroom": classroom, "learner": learner, "view": placement_view(placement)}
    return render(request, "lessons/teacher/placement.html", context)
