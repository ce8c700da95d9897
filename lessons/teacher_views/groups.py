"""Group rooms from an assignment (docs/groups.md): opening one for learners of the class, and
the room's evidence with each learner's talk-time balance. A teacher sees only the rooms of
their own classes' assignments; another teacher's room is a 404."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from lessons.forms_groups import TeacherGroupForm
from lessons.models import GroupRoom
from lessons.selectors.groups import assignment_rooms, invite_path, teacher_room
from lessons.services import groups as services
from lessons.teacher_views.access import own_assignment, teacher_required, user_of


@teacher_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = own_assignment(request, pk)
    classroom = assignment.classroom
    learners = User.objects.filter(classrooms=classroom).order_by("display_name", "email")
    form = TeacherGroupForm(
        request.POST or None, classroom_learners=learners, level=classroom.level_min
    )
    if request.method == "POST" and form.is_valid():
        try:
            room = services.group_open(
                creator=user_of(request),
                language=classroom.language,
                level=form.cleaned_data["level"],
                assignment=assignment,
                max_members=form.cleaned_data["max_members"],
                invited=list(form.cleaned_data["invited"]),
            )
        except services.LimitExceeded as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("The room is open. Share its invite link with the learners.")
            )
            return redirect("teach:group_room", room_id=room.pk)
    context = {
        "assignment": assignment,
        "form": form,
        "rooms": [teacher_room(room) for room in assignment_rooms(assignment.pk)],
    }
    return render(request, "lessons/teacher/group_new.html", context)


@teacher_required
@require_GET
def group_room(request: HttpRequest, room_id: UUID) -> HttpResponse:
    rooms = GroupRoom.objects.select_related("assignment__classroom", "assignment__topic", "topic")
    room = get_object_or_404(rooms, pk=room_id, assignment__classroom__teacher=user_of(request))
    context = {
        "view": teacher_room(room),
        "room": room,
        "assignment": room.assignment,
        "invite_url": request.build_absolute_uri(invite_path(room)),
    }
    return render(request, "lessons/teacher/group_room.html", context)
