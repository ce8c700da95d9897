"""The rubric on an assignment: attaching a CEFR preset, and grading one learner against it
(the tutor's proposals with the turns that justify them; the teacher decides each criterion).
A learner's total goes to the course's gradebook when every criterion is decided."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lessons.lti.grades import after_decision
from lessons.models import LtiGrade, Rubric
from lessons.rubric_presets import LEVELS
from lessons.selectors.rubrics import learner_rubric
from lessons.services.rubrics import decide, rubric_attach
from lessons.teacher_views.access import member_of, own_assignment, teacher_required


@teacher_required
@require_POST
def rubric_set(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = own_assignment(request, pk)
    level = request.POST.get("level", "")
    if request.POST.get("remove"):
        Rubric.objects.filter(assignment=assignment).delete()
        messages.success(request, _("Rubric removed. Scores go back to speaking time."))
    elif level in LEVELS:
        rubric_attach(assignment=assignment, level=level)
        messages.success(
            request,
            _("%(level)s rubric attached. Grade each learner from the table.") % {"level": level},
        )
    else:
        messages.error(request, _("Pick a level for the rubric."))
    return redirect("teach:assignment", pk=assignment.pk)


@teacher_required
@require_http_methods(["GET", "POST"])
def grade(request: HttpRequest, pk: int, learner_pk: int) -> HttpResponse:
    assignment = own_assignment(request, pk)
    learner = member_of(assignment.classroom, learner_pk)
    rubric = learner_rubric(assignment, learner)
    if rubric is None:
        messages.error(request, _("Attach a rubric to this assignment first."))
        return redirect("teach:assignment", pk=assignment.pk)
    errors: list[str] = []
    if request.method == "POST":
        decisions = {}
        for row in rubric.rows:
            key = row.criterion.key
            value = request.POST.get(f"points-{key}", "")
            if not value.isdigit() or int(value) > row.criterion.max_points:
                errors.append(
                    _("Choose a level for %(criterion)s.") % {"criterion": row.criterion.name}
                )
                continue
            decisions[key] = (int(value), request.POST.get(f"comment-{key}", "").strip())
        if not errors:
            total = decide(assignment=assignment, learner=learner, decisions=decisions)
            after_decision(assignment.pk, learner.pk)
            messages.success(
                request,
                _("%(learner)s: %(points)s of %(maximum)s points saved.")
                % {"learner": learner.name, "points": total.points, "maximum": total.maximum}
                + (" " + _("Sent to the course's gradebook.") if _in_lms(assignment) else ""),
            )
            return redirect("teach:grade", pk=assignment.pk, learner_pk=learner.pk)
    grade_row = LtiGrade.objects.filter(activity__assignment=assignment, learner=learner).first()
    context = {
        "assignment": assignment,
        "learner": learner,
        "rubric": rubric,
        "errors": errors,
        "conversations": assignment.conversations.filter(learner=learner).order_by("started_at"),
        "lti_grade": grade_row,
    }
    return render(request, "lessons/teacher/grade.html", context)


def _in_lms(assignment: object) -> bool:
    return hasattr(assignment, "lti")
