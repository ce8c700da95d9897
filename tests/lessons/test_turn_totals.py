"""Each conversation's running totals of its turns (lessons/services/totals.py) match what
counting every turn gives, however the turns were stored, amended or retried."""

from __future__ import annotations

import pytest

from accounts.models import User
from lessons.models import Conversation
from lessons.services import conversations as services
from lessons.services.totals import conversations_recount
from lessons.words import word_count

pytestmark = pytest.mark.django_db


def _totals(conversation: Conversation) -> tuple[int, int, int]:
    row = Conversation.objects.get(pk=conversation.pk)
    return row.learner_words, row.learner_turn_ms, row.tutor_turn_ms


def _talk(alice: User, language: str) -> Conversation:
    conversation = services.conversation_start(learner=alice, language=language)
    record = services.conversation_record_turn
    record(conversation_id=conversation.pk, speaker="tutor", text="¡Hola!", ended_ms=900)
    # The live runtime's path (its own ordinals), a retry of the same write, the typed path.
    record(
        conversation_id=conversation.pk,
        speaker="learner",
        text="Yo soy",
        started_ms=1000,
        ended_ms=1800,
        ordinal=1,
    )
    record(
        conversation_id=conversation.pk,
        speaker="learner",
        text="Yo soy",
        started_ms=1000,
        ended_ms=1800,
        ordinal=1,
    )
    record(conversation_id=conversation.pk, speaker="learner", text="私は 学生です", source="typed")
    # Late transcription completes the spoken line.
    services.conversation_amend_turn(
        conversation_id=conversation.pk,
        ordinal=1,
        text="Yo soy cansado  hoy",
        started_ms=1000,
        ended_ms=2500,
    )
    return conversation


@pytest.mark.parametrize("language", ["es", "ja"])
def test_stored_amended_and_retried_turns_keep_the_totals_right(alice: User, language: str) -> None:
    conversation = _talk(alice, language)
    said = ["Yo soy cansado  hoy", "私は 学生です"]
    expected_words = sum(word_count(text, language) for text in said)
    assert _totals(conversation) == (expected_words, 1500, 900)
    conversations_recount([conversation.pk])
    assert _totals(conversation) == (expected_words, 1500, 900)


def test_recounting_rebuilds_totals_from_the_turns(alice: User) -> None:
    conversation = _talk(alice, "es")
    Conversation.objects.filter(pk=conversation.pk).update(
        learner_words=0, learner_turn_ms=0, tutor_turn_ms=0
    )
    assert conversations_recount([conversation.pk]) == 1
    assert _totals(conversation) == (6, 1500, 900)


def test_corrections_are_counted_by_kind_as_they_are_stored(alice: User) -> None:
    conversation = _talk(alice, "es")
    turn = conversation.turns.get(ordinal=1)
    for kind in ("grammar", "grammar", "vocabulary", "spelling"):  # unknown: grammar
        services.conversation_record_correction(
            turn_id=turn.pk, original="soy", corrected="estoy", explanation="", kind=kind
        )
    counted = Conversation.objects.values_list(
        "grammar_corrections", "vocabulary_corrections", "register_corrections"
    ).get(pk=conversation.pk)
    assert counted == (3, 1, 0)
    conversations_recount([conversation.pk])
    assert counted == Conversation.objects.values_list(
        "grammar_corrections", "vocabulary_corrections", "register_corrections"
    ).get(pk=conversation.pk)
