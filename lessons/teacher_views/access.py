"""Who may see what in the teacher area.

Anonymous visitors are sent to sign in; signed-in learners get 403 (the role is wrong); a teacher
asking for another teacher's classroom, assignment or learner gets 404, so ids cannot be probed.
A teacher sees a learner's conversation only when it was held for one of the teacher's
assignments and the learner is still in that classroom.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import User
from lessons.models import Assignment, Classroom, Conversation, Membership

View = Callable[..., HttpResponse]


def teacher_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_teacher:  # type: ignore[union-attr]
            raise PermissionDenied(_("Only teachers can open this page."))
        return view(request, *args, **kwargs)

    return wrapper


def user_of(request: HttpRequest) -> User:
    """The signed-in user of a view behind login_required or teacher_required."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied(_("Sign in first."))
    return user


def own_classroom(request: HttpRequest, pk: int) -> Classroom:
    return get_object_or_404(Classroom, pk=pk, teacher=user_of(request))


def own_assignment(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("topic", "classroom"),
        pk=pk,
        classroom__teacher=user_of(request),
    )


def member_of(classroom: Classroom, learner_pk: int) -> User:
    return get_object_or_404(User, pk=learner_pk, classrooms=classroom)


def visible_conversation(request: HttpRequest, pk: uuid.UUID) -> Conversation:
    member = Membership.objects.filter(
        classroom=OuterRef("assignment__classroom"), learner=OuterRef("learner")
    )
    conversations = Conversation.objects.filter(
        Exists(member), assignment__classroom__teacher=user_of(request)
    ).select_related("learner", "assignment__topic", "assignment__classroom")
    return get_object_or_404(conversations, pk=pk)
