"""Factories for the teacher-area tests: topics, assignments and conversations with turns."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from lessons.models import Assignment, Classroom, Conversation, Correction, Membership, Topic, Turn
from lessons.services.totals import conversations_recount


@pytest.fixture
def fast_passwords(settings: Any) -> None:
    """Hash persona passwords cheaply: these tests check access, not password storage."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CAFE_PHRASES = ["la cuenta, por favor", "quisiera un café", "¿cuánto cuesta?"]


def make_topic(author: User | None = None, **fields: Any) -> Topic:
    values: dict[str, Any] = {
        "slug": f"cafe-{Topic.objects.count()}",
        "language": "es",
        "title": "En el café",
        "level_min": "A2",
        "level_max": "B1",
        "scenario": "A busy café in Madrid at lunchtime.",
        "tutor_role": "a friendly waiter",
        "learner_goal": "order a drink and pay",
        "target_phrases": list(CAFE_PHRASES),
        "author": author,
    }
    values.update(fields)
    return Topic.objects.create(**values)


def make_assignment(classroom: Classroom, topic: Topic | None = None, **fields: Any) -> Assignment:
    now = timezone.now()
    values: dict[str, Any] = {
        "classroom": classroom,
        "topic": topic or make_topic(),
        "starts_at": now - timedelta(days=2),
        "due_at": now + timedelta(days=5),
        "min_speaking_minutes": 2,
    }
    values.update(fields)
    return Assignment.objects.create(**values)


def make_conversation(
    learner: User,
    assignment: Assignment | None = None,
    *,
    said: list[str] = (),  # type: ignore[assignment]
    seconds: float = 150.0,
    started_at: datetime | None = None,
    status: str = "ended",
    corrections: list[str] = (),  # type: ignore[assignment]
) -> Conversation:
    """A conversation in which the tutor and the learner take turns; the learner says `said`.

    Each kind in `corrections` becomes one correction on the learner's first turn.
    """
    started = started_at or timezone.now() - timedelta(hours=1)
    conversation = Conversation.objects.create(
        learner=learner,
        assignment=assignment,
        topic=assignment.topic if assignment else None,
        language="es",
        level=learner.level,
        status=status,
        started_at=started,
        ended_at=None if status == "active" else started + timedelta(minutes=10),
        learner_seconds=seconds,
    )
    ordinal = 0
    for text in said:
        Turn.objects.create(
            conversation=conversation, ordinal=ordinal, speaker="tutor", text="¿Y qué más?"
        )
        Turn.objects.create(
            conversation=conversation, ordinal=ordinal + 1, speaker="learner", text=text
        )
        ordinal += 2
    first = conversation.turns.filter(speaker="learner").first()
    for kind in corrections:
        assert first is not None, "corrections need a learner turn"
        Correction.objects.create(turn=first, original="yo es", corrected="yo soy", kind=kind)
    conversations_recount([conversation.pk])  # the rows skipped the services
    return conversation


def add_learners(classroom: Classroom, count: int, prefix: str = "learner") -> list[User]:
    """Classmates without a usable password (hashing 20 passwords would dominate the test)."""
    learners = []
    for n in range(count):
        email = f"{prefix}{n}-{classroom.pk}@example.org"
        user = User.objects.create_user(
            email=email, display_name=f"{prefix.title()} {n}", onboarded=True, level="A2"
        )
        Membership.objects.create(classroom=classroom, learner=user)
        learners.append(user)
    return learners


def attempted_by_new_learners(
    classroom: Classroom, count: int, *, assignments: int = 1, **conversation: Any
) -> list[Assignment]:
    """`assignments` new assignments in `classroom`, then `count` new classmates who each had
    one conversation (`make_conversation(..., **conversation)`) per assignment."""
    made = [make_assignment(classroom) for _ in range(assignments)]
    for learner in add_learners(classroom, count):
        for assignment in made:
            make_conversation(learner, assignment, **conversation)
    return made
