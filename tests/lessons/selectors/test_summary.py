"""The summary after a conversation (lessons/selectors/summary.py): the goal judged from the
evidence, target phrases with the turn that used them, corrections worth remembering, and
what to try next."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from accounts.models import User
from lessons.models import Conversation, Correction, Topic
from lessons.selectors.summary import MIN_TURNS, Summary, conversation_summary
from tests.base import Personas
from tests.lessons.learner_data import add_correction, make_conversation, make_topic
from tests.lessons.teaching import make_assignment

pytestmark = pytest.mark.django_db

PHRASES = ["un café con leche", "la cuenta", "¿cuánto es?", "para llevar"]


def _talk(learner: User, said: Sequence[str], topic: Topic | None = None) -> Conversation:
    """Tutor and learner in turn; the learner's lines are `said`."""
    turns = [pair for line in said for pair in (("tutor", "¿Y qué más?"), ("learner", line))]
    return make_conversation(learner, topic=topic, turns=turns)


def _summary(conversation: Conversation, learner: User) -> Summary:
    turns = list(conversation.turns.order_by("ordinal"))
    corrections = list(
        Correction.objects.filter(turn__conversation=conversation).select_related("turn")
    )
    return conversation_summary(conversation, turns, corrections, learner)


@pytest.fixture
def cafe(db: None) -> Topic:
    return make_topic("En el café", learner_goal="Order a drink and pay.", target_phrases=PHRASES)


def test_each_target_phrase_points_at_the_first_turn_that_used_it(alice: User, cafe: Topic) -> None:
    said = ["Hola, un cafe con leche por favor", "Y la cuenta", "La cuenta, gracias"]
    summary = _summary(_talk(alice, said, cafe), alice)
    assert [(t.phrase, t.turn) for t in summary.targets] == [
        ("un café con leche", 1),  # without its accent: the tolerant rule
        ("la cuenta", 3),
        ("¿cuánto es?", None),
        ("para llevar", None),
    ]
    assert summary.targets_used == 2
    assert summary.unused == ["¿cuánto es?", "para llevar"]


def test_half_the_phrases_over_enough_turns_meets_the_goal(alice: User, cafe: Topic) -> None:
    said = ["Un café con leche", "¿Cuánto es?", "Gracias, adiós"]
    goal = _summary(_talk(alice, said, cafe), alice).goal
    assert goal is not None
    assert (goal.met, goal.text) == (True, "Order a drink and pay.")
    assert goal.reason == "You used 2 of 4 target phrases in 3 turns of yours."


def test_too_few_phrases_is_not_met_yet_and_says_how_many_are_needed(
    alice: User, cafe: Topic
) -> None:
    goal = _summary(_talk(alice, ["Un café con leche", "Sí", "No"], cafe), alice).goal
    assert goal is not None and not goal.met
    assert goal.reason == (
        "You used 1 of 4 target phrases in 3 turns of yours; at least 2 phrases show the goal met."
    )


def test_too_few_turns_is_not_met_yet_even_with_the_phrases(alice: User, cafe: Topic) -> None:
    said = ["Un café con leche y la cuenta"]
    goal = _summary(_talk(alice, said, cafe), alice).goal
    assert goal is not None and not goal.met
    assert goal.reason.endswith(f"at least {MIN_TURNS} turns show the goal met.")


def test_a_topic_without_phrases_is_judged_on_turns_and_its_scenario_is_the_goal(
    alice: User,
) -> None:
    topic = make_topic("Charla", scenario="Talk about your weekend.")
    goal = _summary(_talk(alice, ["Sí", "No", "Bueno"], topic), alice).goal
    assert goal is not None
    assert (goal.met, goal.text, goal.reason) == (
        True,
        "Talk about your weekend.",
        "You spoke 3 turns of yours.",
    )


def test_free_talk_has_no_goal_and_no_phrases(alice: User) -> None:
    summary = _summary(_talk(alice, ["Hola"]), alice)
    assert summary.goal is None
    assert summary.targets == [] and summary.unused == []


def test_the_kind_corrected_most_often_comes_first_then_the_most_recent(alice: User) -> None:
    conversation = _talk(alice, ["uno", "dos", "tres", "cuatro", "cinco"])
    learner_turns = list(conversation.turns.filter(speaker="learner").order_by("ordinal"))
    add_correction(learner_turns[0], "Yo soy cansado", "Estoy cansado", "grammar")
    add_correction(learner_turns[1], "la problema", "el problema", "grammar")
    add_correction(learner_turns[2], "un carro", "un coche", "vocabulary")
    add_correction(learner_turns[3], "Yo soy cansado", "Estoy cansado", "grammar")  # again
    add_correction(learner_turns[4], "Hola señor", "Buenas tardes, señor", "register")
    remembered = _summary(conversation, alice).remember
    assert [r.correction.corrected for r in remembered] == [
        "Estoy cansado",  # grammar, three times; the most recent of them (turn 7) first
        "el problema",  # grammar again; the repeat of "Estoy cansado" is not listed twice
        "Buenas tardes, señor",  # then the most recent of the rest
    ]
    assert remembered[0].correction.turn.ordinal == 7
    assert remembered[0].why == "Grammar: corrected 3 times"
    assert remembered[2].why == "Register: most recent"
    assert [s.text for s in remembered[0].better if s.changed] == ["Estoy"]


def test_next_time_is_the_same_role_play_while_its_goal_is_not_met(
    alice: User, cafe: Topic
) -> None:
    suggestion = _summary(_talk(alice, ["Hola"], cafe), alice).suggestion
    assert suggestion is not None
    assert (suggestion.topic, suggestion.again) == (cafe, True)


def test_next_time_is_the_assignment_due_first_once_the_goal_is_met(
    personas: Personas, cafe: Topic
) -> None:
    alice = personas.alice
    homework = make_assignment(personas.classroom, make_topic("En la farmacia"))
    said = ["Un café con leche", "¿Cuánto es?", "Gracias"]
    suggestion = _summary(_talk(alice, said, cafe), alice).suggestion
    assert suggestion is not None
    assert (suggestion.assignment, suggestion.topic, suggestion.again) == (
        homework,
        homework.topic,
        False,
    )


def test_otherwise_next_time_is_a_library_topic_not_practised_yet(alice: User) -> None:
    done = make_topic("A: ya hecho", level_min="A1", level_max="B1")
    fresh = make_topic("B: nuevo", level_min="A1", level_max="B1")
    make_topic("C: too hard", level_min="C1", level_max="C2")
    make_topic("Another language", language="fr")
    summary = _summary(_talk(alice, ["Sí", "No", "Vale"], done), alice)
    assert summary.suggestion is not None
    assert (summary.suggestion.topic, summary.suggestion.again) == (fresh, False)
    make_conversation(alice, topic=fresh)
    assert _summary(_talk(alice, ["Sí", "No", "Vale"], done), alice).suggestion is None
