"""Assigning a topic to a classroom, and the evidence of who did what (page, live view, CSV)."""

from __future__ import annotations

import csv
import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import User
from lessons.filenames import attachment
from lessons.forms_teacher import AssignmentForm
from lessons.models import Assignment, LtiActivity, Rubric
from lessons.rubric_presets import LEVELS
from lessons.selectors.assignments import AssignmentStatus
from lessons.selectors.evidence import AssignmentEvidence, assignment_evidence
from lessons.services.rubrics import rubric_totals, total_of
from lessons.teacher_views.access import own_assignment, own_classroom, teacher_required


@teacher_required
@require_http_methods(["GET", "POST"])
def assignment_new(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = own_classroom(request, pk)
    if classroom.archived_at is not None:
        messages.error(
            request,
            _("“%(classroom)s” is archived: restore it to assign work.")
            % {"classroom": classroom.name},
        )
        return redirect("teach:classroom", pk=classroom.pk)
    initial = {"topic": request.GET["topic"]} if request.GET.get("topic", "").isdigit() else {}
    form = AssignmentForm(request.POST or None, classroom=classroom, initial=initial)
    if request.method == "POST" and form.is_valid():
        assignment = form.save()
        messages.success(
            request,
            _("Assigned “%(title)s” to %(classroom)s.")
            % {"title": assignment.topic.title, "classroom": classroom.name},
        )
        return redirect("teach:assignment", pk=assignment.pk)
    context = {"form": form, "classroom": classroom}
    return render(request, "lessons/teacher/assignment_form.html", context)


@teacher_required
@require_http_methods(["GET", "POST"])
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = own_assignment(request, pk)
    form = AssignmentForm(request.POST or None, instance=assignment, classroom=assignment.classroom)
    if assignment.conversations.exists():
        # Evidence is matched against the topic's phrases: the topic stays once work exists.
        form.fields["topic"].disabled = True
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Assignment saved."))
        return redirect("teach:assignment", pk=assignment.pk)
    context = {"form": form, "classroom": assignment.classroom, "assignment": assignment}
    return render(request, "lessons/teacher/assignment_form.html", context)


@teacher_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = own_assignment(request, pk)
    evidence = assignment_evidence(assignment)
    counts = evidence.counts
    active = [row.learner.pk for row in evidence.rows if row.is_active]
    live = {
        "url": f"/ws/assignments/{assignment.pk}/live/",
        "minSeconds": assignment.min_speaking_minutes * 60,
        "dueAt": assignment.due_at.isoformat(),
        "active": active,
        # The phrase chips link to a transcript turn; the page puts the conversation in.
        "transcriptUrl": reverse("teach:transcript", args=[uuid.UUID(int=0)]),
        "placeholder": str(uuid.UUID(int=0)),
    }
    context = {
        "evidence": evidence,
        "assignment": assignment,
        "status_counts": [
            (value, label, counts[value]) for value, label in AssignmentStatus.choices
        ],
        "live": live,
        "active": active,
        **_rubric_context(assignment, [row.learner for row in evidence.rows]),
    }
    return render(request, "lessons/teacher/assignment.html", context)


@teacher_required
def assignment_csv(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = own_assignment(request, pk)
    evidence = assignment_evidence(assignment)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{assignment.classroom.name} {assignment.topic.title}"[:80]
    response["Content-Disposition"] = attachment(name, "csv", fallback="results")
    response.write("\ufeff")  # so that spreadsheet programs read the accents as UTF-8
    write_csv(response, evidence)
    return response


def write_csv(out: HttpResponse, evidence: AssignmentEvidence) -> None:
    writer = csv.writer(out)
    rubric = Rubric.objects.filter(assignment=evidence.assignment).exists()
    header = [
        "learner",
        "email",
        "status",
        "speaking_minutes",
        "attempts",
        "last_attempt",
        "phrases_used",
        *(f"phrase: {phrase}" for phrase in evidence.phrases),
        *(f"corrections: {label.lower()}" for _kind, label in evidence.kinds),
        *(["rubric_points", "rubric_percent"] if rubric else []),
    ]
    writer.writerow([_cell(value) for value in header])
    for row in evidence.rows:
        last = row.last_started
        cells = [
            row.learner.name,
            row.learner.email,
            row.progress.status.label,
            f"{row.progress.minutes:.1f}",
            row.progress.attempts,
            timezone.localtime(last).strftime("%Y-%m-%d %H:%M") if last else "",
            f"{row.phrases_used}/{len(evidence.phrases)}",
            *("yes" if refs else "no" for _phrase, refs in row.phrases),
            *(row.corrections[kind] for kind, _label in evidence.kinds),
            *(_rubric_cells(evidence.assignment, row.learner) if rubric else []),
        ]
        writer.writerow([_cell(value) for value in cells])


def _rubric_context(assignment: Assignment, learners: list[User]) -> dict[str, object]:
    """The rubric section: one query without a rubric, four with one, whatever the class size."""
    rubric = Rubric.objects.filter(assignment=assignment).prefetch_related("criteria").first()
    if rubric is None:
        return {"rubric": None, "rubric_levels": LEVELS}
    totals = rubric_totals(list(rubric.criteria.all()), learners)
    return {
        "rubric": rubric,
        "rubric_rows": [(learner, totals[learner.pk]) for learner in learners],
        "in_lms": LtiActivity.objects.filter(assignment=assignment).exists(),
    }


def _rubric_cells(assignment: Assignment, learner: User) -> list[str]:
    """Points and percent once every criterion is decided; empty until then."""
    total = total_of(assignment, learner)
    if not total.complete:
        return ["", ""]
    return [f"{total.points}/{total.maximum}", f"{total.percent:.1f}"]


def _cell(value: object) -> object:
    """Text starting with = + - @ would run as a formula in a spreadsheet: quote it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
