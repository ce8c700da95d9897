"""Scores to the platform's gradebook (LTI Assignment and Grade Services): when a learner ends
a conversation for a deep-linked assignment, and again whenever it changes.

The score is the assignment's rubric total once the teacher has decided every criterion (sent
again whenever they change it); without a rubric, the share of the assignment's minimum
speaking time the learner has reached over all their attempts (100 once met), with a comment
naming minutes and attempts. It leaves on a
thread of its own after the conversation's end is committed: the platform may be slow or down,
and the learner must not wait for it. Each outcome is kept (`LtiGrade`); a failed one is sent
again by `manage.py lti_send_grades`.
"""

from __future__ import annotations

import logging
import threading
from typing import Final

import requests
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from lti_tool.models import LtiUser
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector

from lessons.background import Pending
from lessons.models import Conversation, LtiActivity, LtiGrade, Rubric
from lessons.services.rubrics import total_of

log = logging.getLogger(__name__)
SCORE_SCOPE: Final = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
TIMEOUT = 10.0  # seconds, each request to the platform


def score_of(activity: LtiActivity, learner_id: int) -> tuple[float, str] | None:
    """(score out of 100, comment) for the learner so far; None while a rubric waits for the
    teacher."""
    assignment = activity.assignment
    if Rubric.objects.filter(assignment=assignment).exists():
        total = total_of(assignment, learner_id)
        if not total.complete:
            return None
        return total.percent, f"Rubric: {total.points} of {total.maximum} points (Tertulia)."
    done = Conversation.objects.filter(assignment=assignment, learner_id=learner_id).aggregate(
        seconds=Sum("learner_seconds"), attempts=Count("pk")
    )
    seconds, attempts = done["seconds"] or 0.0, done["attempts"]
    needed = max(assignment.min_speaking_minutes, 1) * 60
    score = round(min(seconds / needed, 1.0) * 100, 1)
    comment = (
        f"{seconds / 60:.1f} of {assignment.min_speaking_minutes} minutes of speaking "
        f"in {attempts} conversation{'s' if attempts != 1 else ''} (Tertulia)."
    )
    return score, comment


def record(activity: LtiActivity, learner_id: int) -> LtiGrade | None:
    """The learner's current score, stored as pending; None if the platform takes none."""
    if not (activity.can_publish_scores and activity.lineitem_url):
        return None
    sub = (
        LtiUser.objects.filter(auth_user_id=learner_id, registration=_registration_of(activity))
        .values_list("sub", flat=True)
        .first()
    )
    if sub is None:  # never launched from the platform: it does not know them
        return None
    scored = score_of(activity, learner_id)
    if scored is None:
        return None
    score, comment = scored
    grade, _ = LtiGrade.objects.update_or_create(
        activity=activity,
        learner_id=learner_id,
        defaults={
            "platform_user_id": sub,
            "score": score,
            "comment": comment,
            "status": LtiGrade.Status.PENDING,
            "error": "",
            "updated_at": timezone.now(),
        },
    )
    return grade


def send(grade: LtiGrade, session: requests.Session | None = None) -> bool:
    """POST the score to the line item's scores endpoint; the outcome is stored."""
    activity = grade.activity
    registration = _registration_of(activity)
    session = session or requests.Session()
    session.request = _with_timeout(session.request)  # type: ignore[method-assign]
    connector = ServiceConnector(registration.to_registration(), requests_session=session)
    service = AssignmentsGradesService(
        connector, {"scope": [SCORE_SCOPE], "lineitem": activity.lineitem_url}
    )
    value = (
        Grade()
        .set_score_given(grade.score)
        .set_score_maximum(100)
        .set_timestamp(timezone.now().isoformat())
        .set_activity_progress("Completed" if grade.score >= 100 else "InProgress")
        .set_grading_progress("FullyGraded")
        .set_user_id(grade.platform_user_id)
        .set_comment(grade.comment)
    )
    try:
        service.put_grade(value)
    except (LtiException, LtiServiceException, requests.RequestException) as exc:
        log.warning("LTI score for %s not sent: %s", grade, type(exc).__name__)
        grade.status, grade.error = LtiGrade.Status.FAILED, str(exc)[:300]
        grade.save(update_fields=["status", "error"])
        return False
    grade.status, grade.error = LtiGrade.Status.SENT, ""
    grade.save(update_fields=["status", "error"])
    return True


def after_decision(assignment_id: int, learner_id: int) -> None:
    """The teacher decided (or changed) a learner's rubric: the platform gets the new score."""
    activity = LtiActivity.objects.filter(assignment_id=assignment_id).first()
    grade = record(activity, learner_id) if activity is not None else None
    if grade is not None:
        transaction.on_commit(lambda: _start(grade.pk))


def after_finish(conversation: Conversation) -> None:
    """Called when a conversation ends: its learner's score goes to the platform, if the
    assignment came from one. Returns at once; the sending happens on a thread."""
    if conversation.assignment_id is None or conversation.learner_id is None:
        return
    activity = LtiActivity.objects.filter(assignment_id=conversation.assignment_id).first()
    if activity is None:
        return
    grade = record(activity, conversation.learner_id)
    if grade is not None:
        transaction.on_commit(lambda: _start(grade.pk))


_pending = Pending()  # scores on their way


def _start(grade_id: int) -> None:
    _pending.add()
    threading.Thread(target=_send_by_id, args=(grade_id,), name="lti-grade", daemon=True).start()


def drain(timeout: float = 30.0) -> bool:
    """Wait until no score is on its way (tests: before the database is emptied)."""
    return _pending.wait_idle(timeout)


def _send_by_id(grade_id: int) -> None:
    try:
        grade = LtiGrade.objects.select_related("activity__assignment").get(pk=grade_id)
        send(grade)
    except Exception:  # a thread of its own: log, the command sends it again
        log.exception("LTI score %s not sent", grade_id)
    finally:
        connection.close()  # this thread's own connection: nothing else will close it
        _pending.done()


def _registration_of(activity: LtiActivity):  # type: ignore[no-untyped-def]
    return activity.course.context.deployment.registration


def _with_timeout(request):  # type: ignore[no-untyped-def]
    def bounded(method, url, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("timeout", TIMEOUT)
        return request(method, url, **kwargs)

    return bounded
