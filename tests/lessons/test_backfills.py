"""The data migrations fill their new columns from rows written before them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(target: tuple[str, str]) -> Apps:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def latest() -> Iterator[None]:
    yield
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes("lessons")[0])


def _conversation(apps: Apps, learner: Any, language: str = "es") -> Any:
    Conversation = apps.get_model("lessons", "Conversation")
    return Conversation.objects.create(learner_id=learner.pk, language=language, level="A2")


def test_cards_are_noted_in_the_conversations_that_made_or_repeated_them(latest: None) -> None:
    apps = _migrate(("lessons", "0005_conversation_last_activity"))
    User = apps.get_model("accounts", "User")
    Turn = apps.get_model("lessons", "Turn")
    Correction = apps.get_model("lessons", "Correction")
    Phrase = apps.get_model("lessons", "Phrase")
    alice = User.objects.create(email="alice@example.com")
    first, second = _conversation(apps, alice), _conversation(apps, alice)
    turns = [
        Turn.objects.create(conversation=c, ordinal=0, speaker="learner", text="Yo soy cansado")
        for c in (first, second)
    ]
    made = Correction.objects.create(turn=turns[0], original="soy", corrected="estoy")
    Correction.objects.create(turn=turns[1], original="soy", corrected="estoy")  # deduplicated
    Phrase.objects.create(
        learner=alice, language="es", text="estoy", conversation=first, source_correction=made
    )
    Phrase.objects.create(learner=alice, language="es", text="descansar", source_turn=turns[1])

    apps = _migrate(("lessons", "0006_phrase_noted_in_conversations"))
    Phrase = apps.get_model("lessons", "Phrase")
    noted = {
        (phrase.text, conversation.pk)
        for phrase in Phrase.objects.all()
        for conversation in phrase.noted_in.all()
    }
    assert noted == {("estoy", first.pk), ("estoy", second.pk), ("descansar", second.pk)}


def test_conversations_get_the_totals_of_the_turns_they_already_had(latest: None) -> None:
    apps = _migrate(("lessons", "0006_phrase_noted_in_conversations"))
    User = apps.get_model("accounts", "User")
    Turn = apps.get_model("lessons", "Turn")
    alice = User.objects.create(email="alice@example.com")
    spanish, japanese = _conversation(apps, alice), _conversation(apps, alice, language="ja")
    said = [
        (spanish, "tutor", "¡Hola! ¿Qué tal?", 0, 1500),
        (spanish, "learner", "Yo soy  cansado hoy", 2000, 4000),
        (spanish, "learner", "", 5000, 5000),
        (japanese, "learner", "私は 学生です", 0, 1200),
    ]
    for ordinal, (conversation, speaker, text, start, end) in enumerate(said):
        Turn.objects.create(
            conversation=conversation,
            ordinal=ordinal,
            speaker=speaker,
            text=text,
            started_ms=start,
            ended_ms=end,
        )

    apps = _migrate(("lessons", "0007_conversation_turn_totals"))
    Conversation = apps.get_model("lessons", "Conversation")
    totals = {
        c.pk: (c.learner_words, c.learner_turn_ms, c.tutor_turn_ms)
        for c in Conversation.objects.all()
    }
    assert totals == {spanish.pk: (4, 2000, 1500), japanese.pk: (6, 1200, 0)}


def test_conversations_get_the_counts_of_the_corrections_they_already_had(latest: None) -> None:
    apps = _migrate(("lessons", "0007_conversation_turn_totals"))
    User = apps.get_model("accounts", "User")
    Turn = apps.get_model("lessons", "Turn")
    Correction = apps.get_model("lessons", "Correction")
    alice = User.objects.create(email="alice@example.com")
    corrected, untouched = _conversation(apps, alice), _conversation(apps, alice)
    turn = Turn.objects.create(conversation=corrected, ordinal=0, speaker="learner", text="x")
    for kind in ("grammar", "grammar", "register"):
        Correction.objects.create(turn=turn, original="x", corrected="y", kind=kind)

    apps = _migrate(("lessons", "0008_conversation_correction_totals"))
    Conversation = apps.get_model("lessons", "Conversation")
    fields = ("grammar_corrections", "vocabulary_corrections", "register_corrections")
    assert Conversation.objects.values_list(*fields).get(pk=corrected.pk) == (2, 0, 1)
    assert Conversation.objects.values_list(*fields).get(pk=untouched.pk) == (0, 0, 0)
