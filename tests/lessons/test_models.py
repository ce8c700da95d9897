from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from lessons.models import Assignment, Classroom, Conversation, Membership, Phrase, Topic, Turn
from tests.base import Personas, make_topic

pytestmark = pytest.mark.django_db


def _topic(**fields: object) -> Topic:
    return make_topic(**{"slug": "cafe", **fields})  # one slug: uniqueness is under test


def test_turn_ordinals_are_unique_per_conversation(alice: User) -> None:
    conversation = Conversation.objects.create(learner=alice, language="es", level="A2")
    Turn.objects.create(conversation=conversation, ordinal=0, speaker="tutor", text="¡Hola!")
    with pytest.raises(IntegrityError), transaction.atomic():
        Turn.objects.create(conversation=conversation, ordinal=0, speaker="learner", text="hola")


def test_join_codes_are_unique(personas: Personas) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Classroom.objects.create(
            teacher=personas.bob,
            name="Other",
            language="es",
            join_code=personas.classroom.join_code,
        )


def test_join_codes_avoid_look_alike_characters(personas: Personas) -> None:
    code = personas.classroom.join_code
    assert len(code) == 8
    assert not set(code) & set("01OIL")


def test_a_learner_joins_a_classroom_once(personas: Personas) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(classroom=personas.classroom, learner=personas.alice)


def test_levels_must_be_cefr_codes(alice: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=alice.pk).update(level="Z9")
    with pytest.raises(IntegrityError), transaction.atomic():
        _topic(level_min="B2", level_max="A1")


def test_builtin_topic_slugs_are_unique_per_language(db: None) -> None:
    _topic()
    _topic(language="fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        _topic()


def test_teachers_may_reuse_a_builtin_slug(bob: User) -> None:
    _topic()
    _topic(author=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        _topic(author=bob)


def test_a_conversation_needs_a_learner_or_a_trial_session(db: None) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Conversation.objects.create(language="es", level="A1")
    trial = Conversation.objects.create(language="es", level="A1", trial_session_key="abc")
    assert trial.is_trial


def test_assignments_are_due_after_they_start(personas: Personas) -> None:
    topic = _topic()
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            classroom=personas.classroom, topic=topic, starts_at=now, due_at=now - timedelta(days=1)
        )


def test_a_learner_keeps_one_card_per_phrase(alice: User) -> None:
    Phrase.objects.create(learner=alice, language="es", text="¿Cuánto es?")
    with pytest.raises(IntegrityError), transaction.atomic():
        Phrase.objects.create(learner=alice, language="es", text="¿Cuánto es?")


def test_native_and_target_language_differ(db: None) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="x@example.org", native_language="es", target_language="es")


def test_topic_level_filters(db: None) -> None:
    easy = _topic(slug="easy", level_min="A1", level_max="A2")
    hard = _topic(slug="hard", level_min="B2", level_max="C1")
    assert list(Topic.objects.suits_level("A2")) == [easy]
    assert list(Topic.objects.suits_level("C1")) == [hard]
