"""Classrooms and assignments: creating, joining, leaving, assigning."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import (
    JOIN_CODE_ALPHABET,
    Assignment,
    Classroom,
    Membership,
    Topic,
    new_join_code,
)

if TYPE_CHECKING:
    from accounts.models import User

_CODE_NOISE = re.compile(r"[\s-]+")


def normalise_join_code(code: str) -> str:
    """What a learner typed or read aloud → the stored form ("abcd-efgh " → "ABCDEFGH")."""
    return _CODE_NOISE.sub("", code).upper()


def classroom_create(
    *, teacher: User, name: str, language: str, level_min: str, level_max: str
) -> Classroom:
    classroom = Classroom(
        teacher=teacher, name=name, language=language, level_min=level_min, level_max=level_max
    )
    classroom.full_clean()
    classroom.save()
    return classroom


def classroom_rotate_code(*, classroom: Classroom) -> str:
    """A fresh join code; the old one and its link stop working at once."""
    for _attempt in range(5):
        classroom.join_code = new_join_code()
        try:
            with transaction.atomic():
                classroom.save(update_fields=["join_code"])
        except IntegrityError:  # 31^8 codes: a collision is rare, but retry rather than fail
            continue
        return classroom.join_code
    raise RuntimeError("could not find a free join code")


def classroom_by_code(code: str) -> Classroom | None:
    code = normalise_join_code(code)
    if not code or set(code) - set(JOIN_CODE_ALPHABET):
        return None
    return Classroom.objects.select_related("teacher").filter(join_code=code).first()


def classroom_join(*, learner: User, classroom: Classroom) -> bool:
    """Add the learner; False if they were already a member. A teacher cannot join their own."""
    if classroom.archived_at is not None:
        raise ValidationError(
            _("%(classroom)s has ended: its teacher archived it.") % {"classroom": classroom.name}
        )
    if classroom.teacher_id == learner.pk:
        raise ValidationError(_("You teach this classroom, so you cannot join it as a learner."))
    _membership, created = Membership.objects.get_or_create(classroom=classroom, learner=learner)
    return created


def classroom_remove_learner(*, classroom: Classroom, learner: User) -> bool:
    """Take the learner out; the teacher then no longer sees their conversations."""
    deleted, _by_model = Membership.objects.filter(classroom=classroom, learner=learner).delete()
    return deleted > 0


def assignable_topics(*, teacher: User, language: str) -> QuerySet[Topic]:
    """Built-in topics and the teacher's own, in the classroom's language."""
    return Topic.objects.filter(
        Q(author__isnull=True) | Q(author=teacher), language=language
    ).order_by("level_min", "title")


def assignment_create(
    *,
    classroom: Classroom,
    topic: Topic,
    due_at: datetime,
    starts_at: datetime | None = None,
    min_speaking_minutes: int = 5,
    correction_style: str = "",
    instructions: str = "",
) -> Assignment:
    if classroom.archived_at is not None:
        raise ValidationError(
            _("%(classroom)s is archived: restore it to assign work.")
            % {"classroom": classroom.name}
        )
    if not assignable_topics(teacher=classroom.teacher, language=classroom.language).filter(
        pk=topic.pk
    ):
        raise ValidationError({"topic": _("Pick a topic in the classroom's language.")})
    assignment = Assignment(
        classroom=classroom,
        topic=topic,
        starts_at=starts_at or timezone.now(),
        due_at=due_at,
        min_speaking_minutes=min_speaking_minutes,
        correction_style=correction_style,
        instructions=instructions,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


def classroom_archive(*, classroom: Classroom, archived: bool = True) -> None:
    """At the end of term: no joining, no new work; its evidence stays for its retention
    period (lessons/services/retention.py). Undone by `archived=False`."""
    classroom.archived_at = timezone.now() if archived else None
    classroom.save(update_fields=["archived_at"])


def classroom_move_learner(*, learner: User, source: Classroom, target: Classroom) -> None:
    """Into another of the same teacher's classrooms in the same language. Their conversations
    stay theirs: work done for the old class's assignments stays that class's evidence."""
    if (target.teacher_id, target.language) != (source.teacher_id, source.language):
        raise ValidationError(_("Move learners only between your classrooms in one language."))
    if target.archived_at is not None:
        raise ValidationError(
            _("%(target)s is archived: restore it first.") % {"target": target.name}
        )
    with transaction.atomic():
        Membership.objects.get_or_create(classroom=target, learner=learner)
        Membership.objects.filter(classroom=source, learner=learner).delete()


def assignment_archive(*, assignment: Assignment, archived: bool = True) -> None:
    """Hidden from learners and from the current list; its evidence stays."""
    assignment.archived_at = timezone.now() if archived else None
    assignment.save(update_fields=["archived_at"])


def assignment_delete(*, assignment: Assignment) -> int:
    """Delete it; its learners' conversations stay theirs (as free practice). Returns how
    many conversations were done for it."""
    with transaction.atomic():
        done = assignment.conversations.count()
        assignment.delete()
    return done
