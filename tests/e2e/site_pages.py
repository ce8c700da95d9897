"""Every page a visitor, a learner or a teacher sees, with the control each page is for: what
the phone-size layout test and the accessibility test walk through. Built on the small world
of tests/world.py, so review, deck and teacher pages have something to show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from tests.base import make_user
from tests.world import World

ANONYMOUS, NEWCOMER, LEARNER, TEACHER = "anonymous", "newcomer", "learner", "teacher"


@dataclass(frozen=True)
class SitePage:
    name: str
    who: str
    path: Callable[[World], str]
    control: str  # CSS: the page's main control(s), which must be on screen at any width


def _to(name: str, *args: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[arg(w) for arg in args])


def _classroom(w: World) -> int:
    return w.personas.classroom.pk


SUBMIT = "main button[type=submit]"

PAGES = (
    SitePage("landing", ANONYMOUS, _to("landing"), "#try-free"),
    SitePage("sign in", ANONYMOUS, _to("account_login"), SUBMIT),
    SitePage("sign up", ANONYMOUS, _to("account_signup"), SUBMIT),
    SitePage("password reset", ANONYMOUS, _to("account_reset_password"), SUBMIT),
    SitePage("offline", ANONYMOUS, _to("offline"), "main .button"),
    SitePage("onboarding", NEWCOMER, _to("accounts:onboarding"), ".path-choice"),
    SitePage(
        "onboarding, learner",
        NEWCOMER,
        lambda w: reverse("accounts:onboarding") + "?role=learner",
        SUBMIT,
    ),
    SitePage(
        "onboarding, teacher",
        NEWCOMER,
        lambda w: reverse("accounts:onboarding") + "?role=teacher",
        SUBMIT,
    ),
    SitePage("home", LEARNER, _to("lessons:home"), SUBMIT),
    SitePage(
        "conversation",
        LEARNER,
        lambda w: w.active.get_absolute_url(),
        "#talk-button, #end-button",
    ),
    SitePage(
        "review",
        LEARNER,
        lambda w: reverse("learn:conversation_review", args=[w.homework.pk]),
        SUBMIT,
    ),
    SitePage("history", LEARNER, _to("learn:history"), "main h1"),
    SitePage("deck", LEARNER, _to("learn:deck"), "main summary.button"),
    SitePage("progress", LEARNER, _to("learn:progress"), "main h1"),
    SitePage("profile", LEARNER, _to("accounts:profile"), SUBMIT),
    SitePage("join a classroom", LEARNER, _to("teach:join_code"), SUBMIT),
    SitePage("group conversations", LEARNER, _to("lessons:groups"), SUBMIT),
    SitePage(
        "group invite link",
        LEARNER,
        lambda w: reverse("lessons:group_join", args=[w.room.invite_token]),  # type: ignore[union-attr]
        "#join-button",
    ),
    SitePage(
        "group room",
        LEARNER,
        lambda w: w.room.get_absolute_url(),  # type: ignore[union-attr]
        "#talk-button, #leave-button",
    ),
    SitePage("teacher dashboard", TEACHER, _to("teach:dashboard"), "main h1"),
    SitePage("teacher classroom", TEACHER, _to("teach:classroom", _classroom), "main a.button"),
    SitePage(
        "teacher's learner",
        TEACHER,
        lambda w: reverse("teach:learner", args=[_classroom(w), w.personas.alice.pk]),
        "main h1",
    ),
    SitePage("new classroom", TEACHER, _to("teach:classroom_new"), SUBMIT),
    SitePage(
        "assignment",
        TEACHER,
        lambda w: reverse("teach:assignment", args=[w.assignment.pk]),
        "main h1",
    ),
    SitePage("new assignment", TEACHER, _to("teach:assignment_new", _classroom), SUBMIT),
    SitePage(
        "open a group room",
        TEACHER,
        lambda w: reverse("teach:group_new", args=[w.assignment.pk]),
        SUBMIT,
    ),
    SitePage(
        "teacher group room",
        TEACHER,
        lambda w: reverse("teach:group_room", args=[w.room.pk]),  # type: ignore[union-attr]
        "#end-button",
    ),
    SitePage("teacher review", TEACHER, _to("teach:review"), "main h1"),
    SitePage(
        "teacher transcript",
        TEACHER,
        lambda w: reverse("teach:transcript", args=[w.homework.pk]),
        "main h1",
    ),
    SitePage("topics", TEACHER, _to("teach:topics"), "main h1"),
    SitePage("new topic", TEACHER, _to("teach:topic_new"), SUBMIT),
)


def users(world: World) -> dict[str, Any]:
    """Who is signed in for each kind of page (None: nobody)."""
    return {
        ANONYMOUS: None,
        NEWCOMER: make_user("new.learner@example.org", onboarded=False),
        LEARNER: world.personas.alice,
        TEACHER: world.personas.bob,
    }
