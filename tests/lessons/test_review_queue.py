"""The review queue flags conversations worth a teacher's look; comments reach the learner."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from lessons.models import Classroom, Comment, Conversation, Correction, Membership
from lessons.selectors.review_queue import review_queue
from lessons.services.comments import comment_add
from lessons.text.language_guess import native_share
from tests.base import Personas
from tests.lessons.teaching import (
    attempted_by_new_learners,
    fast_passwords,  # noqa: F401 (a fixture, used by name)
    make_assignment,
    make_conversation,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

GOOD = [
    "Hola, buenos días. Quisiera un café con leche, por favor.",
    "Sí, y también un bocadillo de jamón. ¿Cuánto cuesta todo?",
    "Muy bien, gracias. La cuenta, por favor, que tengo prisa.",
]
ENGLISH = [
    "Sorry, I don't know how to say that.",
    "What is the word for the bill? I want to pay now.",
    "Hola. Can you say it in English please?",
]


def test_a_good_conversation_is_not_flagged(personas: Personas) -> None:
    make_conversation(
        personas.alice, make_assignment(personas.classroom), said=GOOD, corrections=["grammar"]
    )
    assert review_queue(personas.bob) == []


def test_it_flags_very_short_conversations(personas: Personas) -> None:
    assignment = make_assignment(personas.classroom)
    few_turns = make_conversation(personas.alice, assignment, said=GOOD[:2], seconds=300)
    little_speech = make_conversation(personas.alice, assignment, said=GOOD, seconds=40)
    labels = {
        item.conversation.pk: [flag.label for flag in item.flags]
        for item in review_queue(personas.bob)
    }
    assert labels == {
        few_turns.pk: ["Very short: only 2 turns"],
        little_speech.pk: ["Very short: 0.7 min of speaking"],
    }


def test_it_flags_conversations_mostly_in_the_native_language(personas: Personas) -> None:
    conversation = make_conversation(
        personas.alice, make_assignment(personas.classroom), said=ENGLISH
    )
    [item] = review_queue(personas.bob)
    assert item.conversation == conversation
    assert [(f.code, f.label) for f in item.flags] == [("native", "Mostly in English (100%)")]


def test_it_flags_the_same_error_kind_repeated(personas: Personas) -> None:
    make_conversation(
        personas.alice,
        make_assignment(personas.classroom),
        said=GOOD,
        corrections=["grammar", "vocabulary", "grammar", "grammar"],
    )
    [item] = review_queue(personas.bob)
    assert [(f.code, f.label) for f in item.flags] == [("repeated", "Grammar corrected 3 times")]


def test_conversations_still_running_wait(personas: Personas) -> None:
    make_conversation(
        personas.alice, make_assignment(personas.classroom), said=ENGLISH, status="active"
    )
    assert review_queue(personas.bob) == []


def test_only_the_teachers_assignments_and_current_members_count(personas: Personas) -> None:
    make_conversation(personas.alice, said=ENGLISH)  # free practice, no assignment
    olga_class = Classroom.objects.create(teacher=personas.charlie, name="Olga's", language="es")
    Membership.objects.create(classroom=olga_class, learner=personas.alice)
    make_conversation(personas.alice, make_assignment(olga_class), said=ENGLISH)
    mine = make_assignment(personas.classroom)
    make_conversation(personas.alice, mine, said=ENGLISH)
    assert len(review_queue(personas.bob)) == 1
    Membership.objects.filter(classroom=personas.classroom).delete()
    assert review_queue(personas.bob) == []


def test_a_comment_takes_a_conversation_off_the_queue(client: Client, personas: Personas) -> None:
    conversation = make_conversation(
        personas.alice, make_assignment(personas.classroom), said=ENGLISH
    )
    client.force_login(personas.bob)
    url = reverse("teach:transcript", args=[conversation.pk])
    turn = conversation.turns.get(ordinal=3)
    response = client.post(url, {"text": "¡Intenta decirlo en español!", "turn": turn.pk})
    assert response["Location"] == url
    comment = Comment.objects.get()
    assert (comment.author, comment.turn, comment.conversation) == (
        personas.bob,
        turn,
        conversation,
    )
    assert review_queue(personas.bob) == []
    [item] = review_queue(personas.bob, include_reviewed=True)
    assert item.reviewed
    page = client.get(reverse("teach:review"), {"show": "all"}).content.decode()
    assert "reviewed" in page


def test_a_comment_cannot_point_at_a_turn_of_another_conversation(personas: Personas) -> None:
    assignment = make_assignment(personas.classroom)
    one = make_conversation(personas.alice, assignment, said=GOOD)
    other = make_conversation(personas.alice, assignment, said=GOOD)
    with pytest.raises(ValueError, match="another conversation"):
        comment_add(conversation=one, author=personas.bob, text="x", turn=other.turns.first())


def test_the_comment_form_offers_only_this_conversations_learner_turns(
    client: Client, personas: Personas
) -> None:
    assignment = make_assignment(personas.classroom)
    one = make_conversation(personas.alice, assignment, said=GOOD)
    other = make_conversation(personas.alice, assignment, said=GOOD)
    client.force_login(personas.bob)
    foreign = other.turns.filter(speaker="learner").first()
    assert foreign is not None
    url = reverse("teach:transcript", args=[one.pk])
    response = client.post(url, {"text": "Hola", "turn": foreign.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_learner_sees_the_teachers_comment(client: Client, personas: Personas) -> None:
    conversation = make_conversation(personas.alice, make_assignment(personas.classroom), said=GOOD)
    comment_add(
        conversation=conversation,
        author=personas.bob,
        text="¡Muy bien! Cuidado con «yo es».",
        turn=conversation.turns.get(ordinal=1),
    )
    comment_add(conversation=conversation, author=personas.bob, text="Buen trabajo en general.")
    client.force_login(personas.alice)
    page = client.get(reverse("learn:conversation_review", args=[conversation.pk]))
    body = page.content.decode()
    assert "Cuidado con «yo es»." in body
    assert "Buen trabajo en general." in body


def test_the_transcript_marks_phrases_flags_and_corrections(
    client: Client, personas: Personas
) -> None:
    conversation = make_conversation(
        personas.alice,
        make_assignment(personas.classroom),
        said=["yo es Alice", "quisiera un café"],
        corrections=["grammar"],
    )
    client.force_login(personas.bob)
    response = client.get(reverse("teach:transcript", args=[conversation.pk]))
    page = response.content.decode()
    assert 'id="turn-3"' in page
    assert "<del>es</del>" in page and "<ins>soy</ins>" in page  # the words that changed
    learner_turns = [t for t in response.context["turns"] if t.speaker == "learner"]
    assert [t.used_phrases for t in learner_turns] == [[], ["quisiera un café"]]
    assert [f.code for f in response.context["flags"]] == ["short"]


@pytest.mark.parametrize("count", [2, 20])
def test_the_review_queue_takes_the_same_queries_for_2_or_20_conversations(
    count: int,
    client: Client,
    personas: Personas,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    attempted_by_new_learners(personas.classroom, count, said=ENGLISH, corrections=["grammar"] * 3)
    client.force_login(personas.bob)
    with django_assert_num_queries(5):  # session, user; conversations, turns, corrections
        response = client.get(reverse("teach:review"))
    assert len(response.context["items"]) == count


@pytest.mark.parametrize(
    ("texts", "native", "target", "expected"),
    [
        (ENGLISH, "en", "es", 1.0),
        (GOOD, "en", "es", 0.0),
        (["Je ne sais pas, c'est difficile", "et le pain"], "fr", "es", 1.0),
        (["Ich weiß nicht, wie man das sagt", "und die Rechnung"], "de", "pt", 1.0),
        (["コーヒーをお願いします", "I don't know"], "en", "ja", 0.4444444444444444),
        (["I don't know what it is, sorry"], "en", "ja", 1.0),
        (["Я не знаю, как это сказать"], "ru", "es", 1.0),
        (["ok"], "en", "es", None),  # too little to tell
        (["hola hola hola hola"], "ko", "zh", None),  # no signal for this pair
    ],
)
def test_native_share_tells_languages_apart(
    texts: list[str], native: str, target: str, expected: float | None
) -> None:
    assert native_share(texts, native=native, target=target) == expected


def test_trials_never_reach_a_teacher(personas: Personas) -> None:
    Conversation.objects.create(trial_session_key="abc", language="es", level="A1")
    assert review_queue(personas.bob) == []


def test_the_teachers_transcript_marks_only_the_changed_words(
    client: Client, personas: Personas
) -> None:
    """It struck out the whole sentence; the learner's review page marks the word diff."""
    conversation = make_conversation(
        personas.alice, make_assignment(personas.classroom), said=["Yo es cansado hoy"]
    )
    turn = conversation.turns.get(speaker="learner")
    Correction.objects.create(
        turn=turn, original="Yo es cansado hoy", corrected="Yo estoy cansado hoy", kind="grammar"
    )
    client.force_login(personas.bob)
    body = client.get(reverse("teach:transcript", args=[conversation.pk])).content.decode()
    assert "<del>es</del>" in body
    assert "<ins>estoy</ins>" in body
    assert "<del>Yo es cansado hoy</del>" not in body
    assert "Said: " in body  # the screen reader's label is not "You said"
    assert "said_label" not in body  # the partial's own comment stays out of the page
    assert "1 correction · 0 phrases noted" in body
