"""The phrase deck: FSRS scheduling, the daily review page, its grades and its permissions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from fsrs import Scheduler

from accounts.models import User
from lessons.models import Phrase, Review
from lessons.selectors.deck import NEW_PER_DAY, card_face, deck_summary, next_card
from lessons.services.deck import phrase_grade
from tests.lessons.learner_data import make_conversation, make_phrase

pytestmark = pytest.mark.django_db
DECK = reverse("learn:deck")
GRADE = reverse("learn:deck_grade")
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
NO_FUZZ = Scheduler(enable_fuzzing=False)


def _graded(learner: User, rating: int, *, before: Sequence[int] = (), **phrase: object) -> Phrase:
    """A fresh card graded `before` then `rating`, a day apart; the card as stored."""
    card = make_phrase(learner, **phrase)
    now = timezone.now()
    for i, earlier in enumerate(before):
        phrase_grade(learner=learner, phrase_id=card.pk, rating=earlier, now=now, scheduler=NO_FUZZ)
        now += timedelta(days=1 + i)
    phrase_grade(learner=learner, phrase_id=card.pk, rating=rating, now=now, scheduler=NO_FUZZ)
    card.refresh_from_db()
    card.graded_at = now  # type: ignore[attr-defined]
    return card


def _wait(card: Phrase) -> timedelta:
    return card.due - card.graded_at  # type: ignore[attr-defined]


def test_again_keeps_a_new_card_due_within_minutes(alice: User) -> None:
    card = _graded(alice, AGAIN)
    assert _wait(card) <= timedelta(minutes=10)
    assert card.state == Phrase.State.LEARNING


def test_easy_pushes_a_new_card_further_than_good(alice: User) -> None:
    good = _graded(alice, GOOD, text="una")
    easy = _graded(alice, EASY, text="dos")
    assert _wait(easy) > _wait(good)
    assert easy.state == Phrase.State.REVIEW


def test_easy_pushes_a_review_card_further_than_good(alice: User) -> None:
    good = _graded(alice, GOOD, before=[GOOD, GOOD], text="una")
    easy = _graded(alice, EASY, before=[GOOD, GOOD], text="dos")
    assert good.state == easy.state == Phrase.State.REVIEW
    assert _wait(easy) > _wait(good) >= timedelta(days=1)


def test_forgetting_a_learned_card_brings_it_back_soon_and_counts_a_lapse(alice: User) -> None:
    card = _graded(alice, AGAIN, before=[EASY])
    assert card.state == Phrase.State.RELEARNING
    assert _wait(card) <= timedelta(minutes=10)
    assert (card.reps, card.lapses) == (2, 1)


def test_every_grade_is_kept_with_the_fsrs_state_on_the_card(alice: User) -> None:
    card = _graded(alice, GOOD, before=[AGAIN])
    assert list(card.reviews.order_by("reviewed_at").values_list("rating", flat=True)) == [1, 3]
    assert card.stability is not None
    assert card.difficulty is not None
    assert card.last_review is not None
    assert card.reps == 2


def test_nobody_grades_another_learners_card(alice: User, charlie: User) -> None:
    card = make_phrase(alice)
    with pytest.raises(Phrase.DoesNotExist):
        phrase_grade(learner=charlie, phrase_id=card.pk, rating=EASY)
    assert not Review.objects.exists()


def test_a_correction_card_asks_for_the_better_version_of_what_was_said(alice: User) -> None:
    make_conversation(
        alice, corrections=[(3, "Ayer yo voy al cine", "Ayer fui al cine", "grammar")]
    )
    face = card_face(Phrase.objects.get())
    assert face.prompt == "Ayer yo voy al cine"
    assert face.answer == "Ayer fui al cine"
    assert face.is_correction


def test_a_phrase_card_shows_the_translation_and_asks_for_the_phrase(alice: User) -> None:
    face = card_face(make_phrase(alice, "la cuenta, por favor", translation="the bill, please"))
    assert (face.prompt, face.answer) == ("the bill, please", "la cuenta, por favor")
    assert face.instruction == "Say it in Spanish:"


def test_a_phrase_without_translation_becomes_a_gap_in_its_sentence(alice: User) -> None:
    conversation = make_conversation(alice, turns=[("tutor", "Aquí tiene la cuenta, señora.")])
    turn = conversation.turns.get()
    card = make_phrase(alice, "la cuenta", translation="", source_turn=turn)
    assert card_face(card).prompt == "Aquí tiene …, señora."


def test_the_deck_introduces_a_limited_number_of_new_cards_a_day(alice: User) -> None:
    for i in range(NEW_PER_DAY + 5):
        make_phrase(alice, f"frase {i}")
    assert deck_summary(alice)["due_now"] == NEW_PER_DAY
    for card in Phrase.objects.all()[:NEW_PER_DAY]:
        phrase_grade(learner=alice, phrase_id=card.pk, rating=EASY)
    summary = deck_summary(alice)
    assert (summary["due_now"], summary["new_today"], summary["new_waiting"]) == (0, 0, 5)
    assert next_card(alice, new_allowed=False) is None


def test_a_card_in_its_learning_steps_can_be_finished_early(alice: User) -> None:
    card = _graded(alice, GOOD)  # due again in 10 minutes
    assert next_card(alice, new_allowed=True) == card


def test_the_review_page_shows_a_prompt_then_the_answer_and_four_grades(
    client: Client, alice: User
) -> None:
    card = make_phrase(alice, "la cuenta, por favor", translation="the bill, please")
    client.force_login(alice)
    body = client.get(DECK).content.decode()
    assert "the bill, please" in body
    assert '<details class="flash-reveal"' in body  # the answer is hidden until revealed
    assert body.index("the bill, please") < body.index("la cuenta, por favor")
    for rating in (1, 2, 3, 4):
        assert f'name="rating" value="{rating}"' in body
        assert f'aria-keyshortcuts="{rating}"' in body
    assert f'name="phrase" value="{card.pk}"' in body
    assert "js/deck.js" in body


def test_grading_on_the_page_stores_a_review_and_shows_the_next_card(
    client: Client, alice: User
) -> None:
    first = make_phrase(alice, "uno", translation="one")
    make_phrase(alice, "dos", translation="two")
    client.force_login(alice)
    response = client.post(
        GRADE, {"phrase": first.pk, "rating": EASY, "reps": 0, "shown_at": 0}, follow=True
    )
    first.refresh_from_db()
    assert first.reps == 1
    assert first.due > timezone.now() + timedelta(days=1)
    assert Review.objects.get().rating == EASY
    assert response.context["card"].text == "dos"
    assert "comes back in" in response.content.decode()


def test_a_double_submitted_grade_counts_once(client: Client, alice: User) -> None:
    card = make_phrase(alice)
    client.force_login(alice)
    for _ in range(2):
        client.post(GRADE, {"phrase": card.pk, "rating": GOOD, "reps": 0})
    assert Review.objects.count() == 1


def test_charlie_cannot_grade_alices_card_on_the_page(
    client: Client, alice: User, charlie: User
) -> None:
    card = make_phrase(alice)
    client.force_login(charlie)
    assert client.post(GRADE, {"phrase": card.pk, "rating": EASY, "reps": 0}).status_code == 404
    card.refresh_from_db()
    assert card.reps == 0
    assert "la cuenta" not in client.get(DECK).content.decode()


@pytest.mark.parametrize("rating", ["0", "5", "good", ""])
def test_a_grade_outside_one_to_four_is_refused(client: Client, alice: User, rating: str) -> None:
    card = make_phrase(alice)
    client.force_login(alice)
    assert client.post(GRADE, {"phrase": card.pk, "rating": rating, "reps": 0}).status_code == 400


def test_grading_needs_a_post(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get(GRADE).status_code == 405


def test_an_empty_deck_says_how_cards_arrive(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert "No cards yet" in client.get(DECK).content.decode()


def test_the_learners_home_counts_the_cards_due(client: Client, alice: User) -> None:
    make_phrase(alice, "uno")
    make_phrase(alice, "dos")
    client.force_login(alice)
    body = client.get(reverse("lessons:home")).content.decode()
    assert "2 cards to review today" in body
    assert reverse("learn:deck") in body


def test_the_review_page_runs_a_fixed_number_of_queries(
    client: Client, alice: User, django_assert_max_num_queries: Callable[..., object]
) -> None:
    for _ in range(2):
        make_conversation(alice, corrections=[(1, "Yo quiero", "Quiero", "grammar")])
    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        client.get(DECK)
    for i in range(28):
        make_conversation(alice, corrections=[(1, "Yo quiero", f"Quiero {i}", "grammar")])
        make_phrase(alice, f"frase {i}")
    with django_assert_max_num_queries(len(captured)):  # type: ignore[operator]
        client.get(DECK)
