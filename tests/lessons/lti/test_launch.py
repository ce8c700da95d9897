"""LTI 1.3 launches from a real platform implementation (lti1p3platform) in the test process:
signed id_tokens, the OIDC login's state and nonce, roles, accounts, classrooms, deep linking,
scores to the gradebook and the roster."""

from __future__ import annotations

import time
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import (
    Assignment,
    Classroom,
    Conversation,
    LtiActivity,
    LtiGrade,
    Membership,
)
from lessons.services.conversations import conversation_finish
from lessons.services.rubrics import proposals_store
from tests.base import make_topic
from tests.lessons.lti.platform import INSTRUCTOR, LEARNER, Lms, _keypair, launch_args

pytestmark = pytest.mark.django_db(transaction=True)


def _teacher_adds_activity(lms: Lms) -> tuple[Client, Assignment]:
    """The teacher deep-links a role-play into the course; returns their browser and it."""
    topic = make_topic(slug="cafe-lti", language="es")
    teacher = Client()
    response = lms.launch(
        teacher, user="t-1", roles=[INSTRUCTOR], name="Ana Teacher", email="ana@school.example",
        link=None, deep_link=True, custom={"language": "es"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == reverse("lti:pick")
    page = teacher.get(reverse("lti:pick"))
    assert page.status_code == 200 and topic.title in page.content.decode()
    response = teacher.post(
        reverse("lti:pick"),
        {"topic": topic.pk, "due_at": "2030-01-10T10:00", "min_speaking_minutes": "4"},
    )
    assert response.status_code == 200
    [item] = lms.deep_link_items(response)
    assignment = Assignment.objects.get(pk=int(item["custom"]["assignment"]))
    assert item["type"] == "ltiResourceLink" and item["url"].endswith("/lti/launch/")
    assert item["lineItem"]["scoreMaximum"] == 100
    assert (assignment.topic, assignment.min_speaking_minutes) == (topic, 4)
    return teacher, assignment


def test_a_teacher_deep_links_an_activity_and_a_learner_launches_it(lms: Lms) -> None:
    _, assignment = _teacher_adds_activity(lms)
    classroom = assignment.classroom
    ana = User.objects.get(lti_users__sub="t-1")
    assert ana.is_teacher and classroom.teacher == ana and classroom.language == "es"
    assert classroom.name == "Spanish 101" and ana.email == "ana@school.example"
    learner = Client()
    response = lms.launch(
        learner, user="s-1", roles=[LEARNER], name="Sam Student",
        custom={"assignment": str(assignment.pk)}, ags=True,
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == reverse("lti:start", args=[assignment.pk])
    sam = User.objects.get(lti_users__sub="s-1")
    assert not sam.is_teacher and sam.target_language == "es" and sam.onboarded
    assert Membership.objects.filter(classroom=classroom, learner=sam).exists()
    page = learner.get(response["Location"]).content.decode()
    assert assignment.topic.title in page and "Start the conversation" in page
    started = learner.post(reverse("tutor:start"), {"assignment": assignment.pk})
    assert started.status_code == 302  # signed in without a Tertulia password
    activity = LtiActivity.objects.get(assignment=assignment)
    assert activity.lineitem_url.endswith("/lineitems/1") and activity.can_publish_scores


def test_ending_a_conversation_sends_the_score_to_the_gradebook(lms: Lms) -> None:
    _, assignment = _teacher_adds_activity(lms)
    learner = Client()
    lms.launch(
        learner, user="s-1", roles=[LEARNER], custom={"assignment": str(assignment.pk)},
        ags=True,
    )  # fmt: skip
    sam = User.objects.get(lti_users__sub="s-1")
    conversation = Conversation.objects.create(
        learner=sam, assignment=assignment, topic=assignment.topic, language="es",
        level=sam.level, learner_seconds=120.0,
    )  # fmt: skip
    conversation_finish(conversation_id=conversation.pk, reason="learner")
    grade = _settled(LtiGrade.objects.get(learner=sam))
    assert grade.status == "sent" and grade.score == 50.0  # 2 of 4 minutes
    [score] = lms.scores
    assert score["lineitem"] == "/lineitems/1" and score["userId"] == "s-1"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (50.0, 100)
    assert score["activityProgress"] == "InProgress" and "2.0 of 4 minutes" in score["comment"]
    assert "/token" in lms.requests  # a service token for the score scope first


def test_a_platform_that_is_down_keeps_the_score_to_send_again(lms: Lms) -> None:
    _, assignment = _teacher_adds_activity(lms)
    lms.launch(
        Client(), user="s-1", roles=[LEARNER], custom={"assignment": str(assignment.pk)},
        ags=True,
    )  # fmt: skip
    sam = User.objects.get(lti_users__sub="s-1")
    conversation = Conversation.objects.create(
        learner=sam, assignment=assignment, language="es", level=sam.level, learner_seconds=300.0
    )
    lms.down = True
    conversation_finish(conversation_id=conversation.pk, reason="learner")
    grade = _settled(LtiGrade.objects.get(learner=sam))
    assert grade.status == "failed" and grade.score == 100.0 and not lms.scores
    lms.down = False
    call_command("lti_send_grades", stdout=StringIO())
    grade.refresh_from_db()
    assert grade.status == "sent" and lms.scores[0]["activityProgress"] == "Completed"


def test_the_roster_fills_the_classroom_when_the_teacher_launches(lms: Lms) -> None:
    lms.members = [
        {"user_id": "t-1", "roles": [INSTRUCTOR], "status": "Active", "name": "Ana"},
        {"user_id": "s-1", "roles": [LEARNER], "status": "Active", "name": "Sam"},
        {"user_id": "s-2", "roles": [LEARNER], "status": "Active", "name": "Kim"},
        {"user_id": "s-3", "roles": [LEARNER], "status": "Inactive", "name": "Lee"},
    ]
    response = lms.launch(Client(), user="t-1", roles=[INSTRUCTOR], nrps=True, link="home")
    classroom = Classroom.objects.get()
    assert response["Location"] == reverse("teach:classroom", args=[classroom.pk])
    names = sorted(classroom.learners.values_list("display_name", flat=True))
    assert names == ["Kim", "Sam"]
    lms.members[1]["status"] = "Inactive"  # Sam dropped the course
    lms.launch(Client(), user="t-1", roles=[INSTRUCTOR], nrps=True, link="home")
    assert list(classroom.learners.values_list("display_name", flat=True)) == ["Kim"]


def test_a_learner_before_any_teacher_is_told_to_wait(lms: Lms) -> None:
    response = lms.launch(Client(), user="s-1", roles=[LEARNER])
    assert response.status_code == 409
    assert "Your teacher has not opened Tertulia in this course yet" in response.content.decode()


def test_an_address_the_platform_sends_never_takes_over_an_account(lms: Lms) -> None:
    User.objects.create_user("victim@example.org", password="secret-password-1")
    lms.launch(Client(), user="t-9", roles=[INSTRUCTOR], email="victim@example.org")
    made = User.objects.get(lti_users__sub="t-9")
    assert made.email.endswith("@lti.invalid")
    assert not User.objects.get(email="victim@example.org").lti_users.exists()


def test_a_replayed_launch_is_refused(lms: Lms) -> None:
    lms.launch(Client(), user="t-1", roles=[INSTRUCTOR])
    client = Client()
    prepared = lms.prepare(client, **launch_args(user="t-2", roles=[INSTRUCTOR]))
    form = {"id_token": prepared["id_token"], "state": prepared["state"]}
    assert client.post(prepared["launch_url"], form).status_code == 302
    again = client.post(prepared["launch_url"], form)
    assert again.status_code == 403
    assert "already used" in again.content.decode()


@pytest.mark.parametrize(
    ("claims", "says"),
    [
        ({"iss": "https://evil.example"}, "not registered with Tertulia"),
        ({"aud": "someone-else"}, "not registered with Tertulia"),
        ({"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "d-9"}, "not enabled"),
    ],
)
def test_a_launch_for_another_issuer_audience_or_deployment_is_refused_clearly(
    lms: Lms, claims: dict[str, Any], says: str
) -> None:
    response = lms.launch(Client(), user="t-1", roles=[INSTRUCTOR], claims=claims)
    assert response.status_code == 403
    assert says in response.content.decode()
    assert not User.objects.filter(lti_users__sub="t-1").exists()


def test_a_launch_signed_with_another_key_is_refused(lms: Lms) -> None:
    private, _ = _keypair()
    lms.config.get_registration().set_platform_private_key(private)  # not what its JWKS says
    response = lms.launch(Client(), user="t-1", roles=[INSTRUCTOR])
    assert response.status_code == 403
    assert "could not be verified" in response.content.decode()
    assert not User.objects.filter(lti_users__sub="t-1").exists()


def test_a_learner_cannot_deep_link(lms: Lms) -> None:
    response = lms.launch(Client(), user="s-1", roles=[LEARNER], deep_link=True, link=None)
    assert response.status_code == 403
    assert "Only the course" in response.content.decode()


def test_the_tool_publishes_its_keys(lms: Lms) -> None:
    keys = Client().get(reverse("lti:jwks")).json()["keys"]
    assert keys and all("d" not in key for key in keys)  # public parts only


def _settled(grade: LtiGrade, seconds: float = 10.0) -> LtiGrade:
    """The grade once its thread has sent it (or failed to)."""
    deadline = time.monotonic() + seconds
    while grade.status == LtiGrade.Status.PENDING and time.monotonic() < deadline:
        time.sleep(0.05)
        grade.refresh_from_db()
    return grade


def test_after_a_key_rotation_the_platform_still_takes_scores(lms: Lms) -> None:
    _, assignment = _teacher_adds_activity(lms)
    lms.launch(
        Client(), user="s-1", roles=[LEARNER], custom={"assignment": str(assignment.pk)},
        ags=True,
    )  # fmt: skip
    before = {key["kid"] for key in Client().get(reverse("lti:jwks")).json()["keys"]}
    call_command("rotate_keys", stdout=StringIO())
    published = Client().get(reverse("lti:jwks")).json()
    assert before < {key["kid"] for key in published["keys"]}  # old and new, while rotating
    lms.config.get_registration().set_tool_key_set(published)  # the platform fetches it again
    sam = User.objects.get(lti_users__sub="s-1")
    conversation = Conversation.objects.create(
        learner=sam, assignment=assignment, language="es", level=sam.level, learner_seconds=60.0
    )
    conversation_finish(conversation_id=conversation.pk, reason="learner")
    assert _settled(LtiGrade.objects.get(learner=sam)).status == "sent"
    assert lms.scores[0]["scoreGiven"] == 25.0


def test_with_a_rubric_the_gradebook_gets_the_teachers_total_and_every_change(lms: Lms) -> None:
    teacher, assignment = _teacher_adds_activity(lms)
    assert (
        teacher.post(reverse("teach:rubric", args=[assignment.pk]), {"level": "A2"}).status_code
        == 302
    )
    lms.launch(
        Client(), user="s-1", roles=[LEARNER], custom={"assignment": str(assignment.pk)},
        ags=True,
    )  # fmt: skip
    sam = User.objects.get(lti_users__sub="s-1")
    conversation = Conversation.objects.create(
        learner=sam, assignment=assignment, language="es", level=sam.level, learner_seconds=300.0
    )
    conversation_finish(conversation_id=conversation.pk, reason="learner")
    assert not LtiGrade.objects.exists()  # a rubric waits for the teacher, speaking time or not
    url = reverse("teach:grade", args=[assignment.pk, sam.pk])
    keys = ["task", "phrases", "range", "accuracy", "fluency", "interaction"]
    half = {f"points-{key}": "3" for key in keys[:3]}
    page = teacher.post(url, half)
    assert page.status_code == 200 and "Choose a level for Accuracy" in page.content.decode()
    decided = {**half, **{f"points-{key}": "2" for key in keys[3:]}, "comment-task": "¡Bien!"}
    assert teacher.post(url, decided).status_code == 302
    assert _settled(LtiGrade.objects.get(learner=sam)).status == "sent"
    assert lms.scores[-1]["scoreGiven"] == 83.3  # 15 of 18
    assert "15 of 18 points" in lms.scores[-1]["comment"]
    teacher.post(url, {**decided, "points-fluency": "3"})  # the teacher changes their mind
    grade = LtiGrade.objects.get(learner=sam)
    deadline = time.monotonic() + 10
    while len(lms.scores) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _settled(grade).status == "sent" and lms.scores[-1]["scoreGiven"] == 88.9


def test_the_learner_sees_the_decided_rubric_with_links_to_their_turns(lms: Lms) -> None:
    teacher, assignment = _teacher_adds_activity(lms)
    teacher.post(reverse("teach:rubric", args=[assignment.pk]), {"level": "B1"})
    learner = Client()
    lms.launch(learner, user="s-1", roles=[LEARNER], custom={"assignment": str(assignment.pk)})
    sam = User.objects.get(lti_users__sub="s-1")
    conversation = Conversation.objects.create(
        learner=sam, assignment=assignment, language="es", level=sam.level
    )
    turn = conversation.turns.create(ordinal=0, speaker="learner", text="Quisiera un café")
    proposals_store(
        assignment=assignment,
        learner=sam,
        proposals=[
            {"criterion": "task", "points": 2, "rationale": "r", "evidence": [
                {"conversation": str(conversation.pk), "ordinal": turn.ordinal}
            ]},
        ],
    )  # fmt: skip
    review = reverse("learn:conversation_review", args=[conversation.pk])
    assert "rubric-heading" not in learner.get(review).content.decode()  # proposals only
    keys = ["task", "phrases", "range", "accuracy", "fluency", "interaction"]
    teacher.post(
        reverse("teach:grade", args=[assignment.pk, sam.pk]),
        {**{f"points-{k}": "2" for k in keys}, "comment-task": "Muy bien pedido."},
    )
    page = learner.get(review).content.decode()
    assert "rubric-heading" in page and "12 / 18" in page and "Muy bien pedido." in page
    assert f"{review}#turn-0" in page and "Quisiera un café" in page
    csv = teacher.get(reverse("teach:assignment_csv", args=[assignment.pk])).content.decode()
    assert "rubric_points" in csv and "12/18" in csv and "66.7" in csv


def test_the_admins_registration_page_gives_the_tools_urls(lms: Lms) -> None:
    staff = User.objects.create_user("ops@example.org", password="x", is_staff=True)
    staff.is_superuser = True
    staff.save()
    client = Client()
    client.force_login(staff)
    page = client.get(
        reverse("admin:lti_tool_ltiregistration_change", args=[lms.registration.pk])
    ).content.decode()
    assert f"/lti/{lms.registration.uuid}/login/" in page
    assert "/lti/launch/" in page and "/lti/jwks/" in page
    assert "Deployment" in page  # the deployments inline, to activate one


def test_a_launch_whose_state_does_not_match_the_browsers_is_refused(lms: Lms) -> None:
    client = Client()
    prepared = lms.prepare(client, **launch_args(user="t-1", roles=[INSTRUCTOR]))
    forged = {"id_token": prepared["id_token"], "state": "state-of-another-browser"}
    response = client.post(prepared["launch_url"], forged)
    assert response.status_code == 403
    assert "did not keep the launch" in response.content.decode()
    other = Client()  # the right state, but from a browser that never started the login
    response = other.post(prepared["launch_url"], {**forged, "state": prepared["state"]})
    assert response.status_code == 403
    assert not User.objects.filter(lti_users__sub="t-1").exists()
