"""Answering a card by typing or by voice (lessons/services/drills.py), the typed check on the
deck page, and how a session ends: "done for today" and what comes next."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from fsrs import Scheduler

from accounts.models import User
from lessons.models import DrillAttempt, Phrase
from lessons.selectors.deck import NEW_PER_DAY, deck_outlook, deck_summary
from lessons.services.deck import phrase_grade
from lessons.services.drills import answer_matches, drill_check, drill_check_rate, drill_record
from lessons.services.limits import LimitExceeded
from tests.lessons.learner_data import make_conversation, make_phrase

pytestmark = pytest.mark.django_db
DECK = reverse("learn:deck")
CHECK = reverse("learn:deck_check")
AGAIN, GOOD, EASY = 1, 3, 4
NO_FUZZ = Scheduler(enable_fuzzing=False)


@pytest.mark.parametrize(
    ("heard", "matches"),
    [
        ("la cuenta, por favor", True),
        ("La cuenta por favor.", True),  # case and punctuation
        ("Eh… la cuenta, por favor", True),  # words around the answer
        ("las cuentas, por favor", True),  # small inflection or transcription noise
        ("la cuenta", False),  # half the answer
        ("el menú, por favor", False),
        ("", False),
        ("¿?", False),
    ],
)
def test_an_answer_matches_by_the_target_phrase_rule(heard: str, matches: bool) -> None:
    assert answer_matches("la cuenta, por favor", heard) is matches


def test_a_wrong_answer_shows_the_words_that_differ_and_suggests_again(alice: User) -> None:
    make_conversation(
        alice, corrections=[(3, "Ayer yo voy al cine", "Ayer fui al cine", "grammar")]
    )
    result = drill_check(phrase=Phrase.objects.get(), heard="Ayer yo voy al cine")
    assert (result.expected, result.matched, result.suggested_rating) == (
        "Ayer fui al cine",
        False,
        AGAIN,
    )
    assert [s.text for s in result.said if s.changed] == ["yo voy"]
    assert [s.text for s in result.better if s.changed] == ["fui"]


def test_a_right_answer_suggests_good(alice: User) -> None:
    result = drill_check(phrase=make_phrase(alice), heard="la cuenta, por favor")
    assert (result.matched, result.suggested_rating) == (True, GOOD)


@override_settings(DRILL_CHECKS_PER_HOUR=2, DRILL_CHECKS_PER_IP_PER_HOUR=3)
def test_spoken_checks_are_counted_per_learner_and_address_over_an_hour(
    alice: User, charlie: User
) -> None:
    card, theirs = make_phrase(alice), make_phrase(charlie)
    result = drill_check(phrase=card, heard="")
    old = drill_record(learner=alice, phrase=card, mode="spoken", result=result, ip="10.0.0.1")
    DrillAttempt.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    for _ in range(2):  # typed answers cost nothing and are not counted
        drill_record(learner=alice, phrase=card, mode="typed", result=result, ip="10.0.0.1")
    for _ in range(2):
        drill_check_rate(learner=alice, ip="10.0.0.1")
        drill_record(learner=alice, phrase=card, mode="spoken", result=result, ip="10.0.0.1")
    with pytest.raises(LimitExceeded, match="last hour"):
        drill_check_rate(learner=alice, ip="10.0.0.2")
    drill_check_rate(learner=charlie, ip="10.0.0.1")
    drill_record(learner=charlie, phrase=theirs, mode="spoken", result=result, ip="10.0.0.1")
    with pytest.raises(LimitExceeded, match="your network"):
        drill_check_rate(learner=charlie, ip="10.0.0.1")


def test_a_typed_answer_is_checked_and_shown_with_the_answer_open(
    client: Client, alice: User
) -> None:
    card = make_phrase(alice, "la cuenta, por favor", translation="the bill, please")
    client.force_login(alice)
    body = client.post(CHECK, {"phrase": card.pk, "answer": "La cuenta por favor"}).content.decode()
    assert "That's it!" in body and "You typed" in body
    assert '<details class="flash-reveal" data-reveal open>' in body
    assert 'value="3" class="grade grade-3" aria-keyshortcuts="3" data-default' in body
    attempt = DrillAttempt.objects.get()
    assert (attempt.mode, attempt.heard, attempt.matched) == ("typed", "La cuenta por favor", True)
    card.refresh_from_db()
    assert card.reps == 0  # checking is not grading: the learner confirms the grade


def test_a_wrong_typed_answer_suggests_again_and_shows_the_difference(
    client: Client, alice: User
) -> None:
    card = make_phrase(alice, "la cuenta, por favor", translation="the bill, please")
    client.force_login(alice)
    body = client.post(CHECK, {"phrase": card.pk, "answer": "el menú, por favor"}).content.decode()
    assert "Not quite." in body
    assert "<del>el menú</del>" in body and "<ins>la cuenta</ins>" in body
    assert 'value="1" class="grade grade-1" aria-keyshortcuts="1" data-default' in body


def test_an_empty_typed_answer_goes_back_with_a_message(client: Client, alice: User) -> None:
    card = make_phrase(alice)
    client.force_login(alice)
    response = client.post(CHECK, {"phrase": card.pk, "answer": "  "}, follow=True)
    assert "Type your answer" in response.content.decode()
    assert not DrillAttempt.objects.exists()


def test_nobody_checks_another_learners_card(client: Client, alice: User, charlie: User) -> None:
    card = make_phrase(alice)
    client.force_login(charlie)
    assert client.post(CHECK, {"phrase": card.pk, "answer": "hola"}).status_code == 404
    assert not DrillAttempt.objects.exists()


def test_the_card_offers_a_microphone_typing_and_the_model_answer(
    client: Client, alice: User
) -> None:
    card = make_phrase(alice, "la cuenta, por favor", translation="the bill, please")
    client.force_login(alice)
    body = client.get(DECK).content.decode()
    assert "data-record" in body and "js/deck/spoken.js" in body
    assert reverse("tutor:drill_spoken", args=[card.pk]) in body
    assert reverse("tutor:drill_audio", args=[card.pk]) in body
    assert 'name="answer"' in body and 'lang="es"' in body
    assert "Offline demo" in body  # no key under tests: the page says what the checker hears


def _graded(learner: User, text: str, rating: int, when: timedelta = timedelta(0)) -> Phrase:
    card = make_phrase(learner, text)
    now = timezone.now() + when
    phrase_grade(learner=learner, phrase_id=card.pk, rating=rating, now=now, scheduler=NO_FUZZ)
    card.refresh_from_db()
    return card


def test_a_card_shown_early_is_counted_in_the_header(client: Client, alice: User) -> None:
    _graded(alice, "uno", GOOD)  # in its learning steps, due in 10 minutes: shown early
    client.force_login(alice)
    response = client.get(DECK)
    assert response.context["card"].text == "uno"
    assert "1 to review now" in response.content.decode()


def test_when_the_session_is_over_the_deck_says_done_for_today_and_what_is_next(
    client: Client, alice: User
) -> None:
    for text in ("uno", "dos"):
        _graded(alice, text, EASY)
    _graded(alice, "tres", EASY, when=timedelta(days=3))
    client.force_login(alice)
    body = client.get(DECK).content.decode()
    assert "Done for today" in body
    first = Phrase.objects.order_by("due").first()
    assert first is not None
    outlook = deck_outlook(alice, deck_summary(alice))
    assert outlook.next_at == first.due
    assert outlook.next_count == Phrase.objects.filter(due__date=first.due.date()).count() == 2
    assert f"Next: <strong>2 cards</strong> {outlook.next_day}" in body
    assert outlook.next_day.startswith("on ")  # EASY: days away


def test_the_outlook_counts_new_cards_for_tomorrow(alice: User) -> None:
    for i in range(NEW_PER_DAY + 3):
        make_phrase(alice, f"frase {i}")
    for card in Phrase.objects.order_by("pk")[:NEW_PER_DAY]:
        phrase_grade(learner=alice, phrase_id=card.pk, rating=EASY, scheduler=NO_FUZZ)
    outlook = deck_outlook(alice, deck_summary(alice))
    assert outlook.finished_for_today
    assert outlook.new_tomorrow == 3


def test_a_card_due_later_today_is_done_for_now_not_for_today(alice: User) -> None:
    card = _graded(alice, "uno", EASY)
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    Phrase.objects.filter(pk=card.pk).update(due=noon + timedelta(hours=2))
    outlook = deck_outlook(alice, deck_summary(alice, now=noon), now=noon)
    assert not outlook.finished_for_today
    assert (outlook.next_count, outlook.next_day) == (1, "today")
    tomorrow = deck_outlook(
        alice, deck_summary(alice, now=noon - timedelta(days=1)), now=noon - timedelta(days=1)
    )
    assert tomorrow.finished_for_today
    assert tomorrow.next_day == "tomorrow"
