"""Running a class through the term: editing a classroom (name, levels, privacy), moving a
learner to another class, archiving or deleting assignments, archiving the class at the end."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from lessons.forms_teacher import ClassroomEditForm, MoveLearnerForm
from lessons.services.classrooms import (
    assignment_archive,
    assignment_delete,
    classroom_archive,
    classroom_move_learner,
)
from lessons.teacher_views.access import member_of, own_assignment, own_classroom, teacher_required


@teacher_required
@require_http_methods(["GET", "POST"])
def classroom_edit(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    form = ClassroomEditForm(request.POST or None, instance=classroom)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("“%(classroom)s” saved.") % {"classroom": classroom.name})
        return redirect("teach:classroom", pk=classroom.pk)
    return render(
        request, "lessons/teacher/classroom_edit.html", {"form": form, "classroom": classroom}
    )


@teacher_required
@require_POST
def classroom_archive_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    archive = request.POST.get("archive") != "0"
    classroom_archive(classroom=classroom, archived=archive)
    if archive:
        messages.success(
            request,
            _(
                "“%(classroom)s” is archived: nobody can join it or start its work. "
                "Its evidence stays for the retention period."
            )
            % {"classroom": classroom.name},
        )
    else:
        messages.success(
            request, _("“%(classroom)s” is active again.") % {"classroom": classroom.name}
        )
    return redirect("teach:classroom", pk=classroom.pk)


@teacher_required
@require_http_methods(["GET", "POST"])
def learner_move(request: HttpRequest, pk: int, learner_pk: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    learner = member_of(classroom, learner_pk)
    form = MoveLearnerForm(request.POST or None, current=classroom)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["classroom"]
        try:
            classroom_move_learner(learner=learner, source=classroom, target=target)
        except ValidationError as error:
            form.add_error("classroom", error)
        else:
            messages.success(
                request,
                _("%(learner)s moved to %(target)s.")
                % {"learner": learner.name, "target": target.name},
            )
            return redirect("teach:classroom", pk=target.pk)
    context = {"classroom": classroom, "learner": learner, "form": form}
    return render(request, "lessons/teacher/learner_move.html", context)


@teacher_required
@require_POST
def assignment_archive_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = own_assignment(request, pk)
    archive = request.POST.get("archive") != "0"
    assignment_archive(assignment=assignment, archived=archive)
    title = assignment.topic.title
    if archive:
        messages.success(
            request, _("“%(title)s” is archived: learners no longer see it.") % {"title": title}
        )
    else:
        messages.success(
            request, _("“%(title)s” is back on your learners' lists.") % {"title": title}
        )
    return redirect("teach:assignment", pk=assignment.pk)


@teacher_required
@require_http_methods(["GET", "POST"])
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = own_assignment(request, pk)
    if request.method == "POST":
        classroom = assignment.classroom
        done = assignment_delete(assignment=assignment)
        title = assignment.topic.title
        if done:
            message = ngettext(
                "“%(title)s” deleted. %(n)s conversation stays in the learners' history.",
                "“%(title)s” deleted. %(n)s conversations stay in the learners' history.",
                done,
            ) % {"title": title, "n": done}
        else:
            message = _("“%(title)s” deleted.") % {"title": title}
        messages.success(request, message)
        return redirect("teach:classroom", pk=classroom.pk)
    context = {"assignment": assignment, "done": assignment.conversations.count()}
    return render(request, "lessons/teacher/assignment_delete.html", context)
