"""From a checked launch to Tertulia's own records: the platform user's account (signed in
without a Tertulia password), their role, the course's classroom and its membership.

An account is tied to (registration, `sub`), never found by e-mail: a platform vouches for its
own users only, so an address it sends cannot take over an account made elsewhere."""

from __future__ import annotations

import hashlib

from django.db import transaction
from lti_tool.models import LtiContext, LtiLaunch, LtiUser

from accounts.choices import TARGET_LANGUAGES, Role
from accounts.models import User
from lessons.models import Classroom, LtiCourse, Membership
from lessons.services.classrooms import classroom_create

# LTI context roles (https://www.imsglobal.org/spec/lti/v1p3/#role-vocabularies) that teach.
TEACHING_ROLES = ("Instructor", "Administrator", "ContentDeveloper", "TeachingAssistant")
LANGUAGES = {code for code, _ in TARGET_LANGUAGES}


class NotSetUp(Exception):
    """A learner launched from a course no teacher has opened Tertulia in yet."""


def teaches(launch: LtiLaunch) -> bool:
    roles = launch.roles_claim or []
    return any(role.rsplit("#", 1)[-1] in TEACHING_ROLES for role in roles)


@transaction.atomic
def account_for(lti_user: LtiUser, *, teacher: bool, language: str | None = None) -> User:
    """The Tertulia account of a platform user, made on their first launch."""
    user = lti_user.auth_user
    if user is None:
        user = User.objects.create_user(
            _email(lti_user),
            password=None,  # they sign in through their platform only
            display_name=(lti_user.name or lti_user.given_name or "")[:60],
            role=Role.TEACHER if teacher else Role.LEARNER,
            onboarded=True,
        )
        if language in LANGUAGES and language != user.native_language:
            user.target_language = language
            user.save(update_fields=["target_language"])
        lti_user.auth_user = user
        lti_user.save(update_fields=["auth_user"])
    elif teacher and not user.is_teacher:
        user.role = Role.TEACHER  # the platform made them an instructor since
        user.save(update_fields=["role"])
    return user


def _email(lti_user: LtiUser) -> str:
    email = (lti_user.email or "").strip().lower()
    if email and not User.objects.filter(email__iexact=email).exists():
        return email
    digest = hashlib.sha256(f"{lti_user.registration_id}:{lti_user.sub}".encode()).hexdigest()
    return f"lti-{digest[:20]}@lti.invalid"  # .invalid: never a deliverable address


def classroom_for(
    context: LtiContext, *, teacher: User | None, language: str | None = None
) -> Classroom:
    """The course's classroom; the first teacher to launch creates it."""
    course = LtiCourse.objects.select_related("classroom").filter(context=context).first()
    if course is not None:
        return course.classroom
    if teacher is None:
        raise NotSetUp
    if language not in LANGUAGES:
        taught = [code for code in teacher.teaching_languages if code in LANGUAGES]
        language = taught[0] if taught else teacher.target_language
    name = (context.title or context.label or "Course")[:120]
    with transaction.atomic():
        classroom = classroom_create(
            teacher=teacher, name=name, language=language, level_min="A1", level_max="C2"
        )
        LtiCourse.objects.create(context=context, classroom=classroom)
    return classroom


def enrol(classroom: Classroom, learner: User) -> None:
    if classroom.teacher_id != learner.pk:
        Membership.objects.get_or_create(classroom=classroom, learner=learner)
