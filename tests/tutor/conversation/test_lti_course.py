"""Issue 20 end to end: a course on a real LTI 1.3 platform (lti1p3platform, in the test
process) deep-links a role-play with a rubric; a learner launches it from the course and speaks
through the whole pipeline (consumer, LiveTutor, the emulator); the tutor proposes rubric
scores from what was said; the teacher accepts them; the platform's gradebook gets the total."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.urls import resolve, reverse

from accounts.models import User
from lessons.models import Conversation, CriterionScore, LtiGrade
from tests.lessons.lti.platform import LEARNER, Lms
from tests.lessons.lti.test_launch import _teacher_adds_activity
from tests.tutor.conftest import spanish_48k
from tests.tutor.conversation.talk import converse, saved
from tutor.emulator import Emulator

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def _learner_starts(lms: Lms, assignment_pk: int) -> tuple[User, Conversation]:
    learner = Client()
    launched = lms.launch(
        learner, user="s-1", roles=[LEARNER], name="Sam", custom={"assignment": str(assignment_pk)},
        ags=True,
    )  # fmt: skip
    page = learner.get(launched["Location"])
    assert "Start the conversation" in page.content.decode()
    started = learner.post(reverse("tutor:start"), {"assignment": assignment_pk})
    conversation_id = resolve(urlsplit(started["Location"]).path).kwargs["pk"]
    return User.objects.get(lti_users__sub="s-1"), Conversation.objects.get(pk=conversation_id)


def _accept_the_proposals(teacher: Client, assignment_pk: int, learner: User) -> None:
    propose = reverse("tutor:rubric_propose", args=[assignment_pk, learner.pk])
    assert teacher.post(propose).status_code == 302
    proposed = {
        s.criterion.key: s.proposed_points
        for s in CriterionScore.objects.filter(learner=learner).select_related("criterion")
    }
    assert len(proposed) == 6 and None not in proposed.values()
    grade = reverse("teach:grade", args=[assignment_pk, learner.pk])
    decisions = {f"points-{key}": str(points) for key, points in proposed.items()}
    assert teacher.post(grade, decisions).status_code == 302


def _sent(seconds: float = 10.0) -> LtiGrade:
    deadline = time.monotonic() + seconds
    grade = LtiGrade.objects.get()
    while grade.status == LtiGrade.Status.PENDING and time.monotonic() < deadline:
        time.sleep(0.05)
        grade.refresh_from_db()
    return grade


async def test_the_gradebook_gets_the_rubric_score_of_a_spoken_conversation(
    emulator: Emulator, lms: Lms
) -> None:
    teacher, assignment = await sync_to_async(_teacher_adds_activity)(lms)
    attach = reverse("teach:rubric", args=[assignment.pk])
    assert (await sync_to_async(teacher.post)(attach, {"level": "A2"})).status_code == 302
    sam, conversation = await sync_to_async(_learner_starts)(lms, assignment.pk)
    await converse(
        conversation, [spanish_48k("Hola, buenos días"), "Un café con leche, por favor"], user=sam
    )
    stored, turns = await saved(conversation)
    assert stored.status == "ended" and [s for _, s, _ in turns].count("learner") == 2
    assert not await sync_to_async(LtiGrade.objects.exists)()  # the rubric waits for the teacher
    await sync_to_async(_accept_the_proposals)(teacher, assignment.pk, sam)
    grade = await sync_to_async(_sent)()
    assert grade.status == "sent"
    [score] = lms.scores
    assert score["userId"] == "s-1" and score["scoreMaximum"] == 100
    assert score["scoreGiven"] == grade.score > 0
    assert "points (Tertulia)" in score["comment"]
