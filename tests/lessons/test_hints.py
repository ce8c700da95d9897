"""Hints in the domain: what is stored and counted (lessons/services/hints.py), where help was
needed (lessons/selectors/hints.py), and the marker on the review page and the teacher's
transcript. Real PostgreSQL; no Gemini here (tests/tutor/test_hints.py has the calls)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lessons.models import Conversation, Hint
from lessons.selectors.hints import hints_by_turn
from lessons.services.hints import (
    hint_begin,
    hint_cached,
    hint_check_rate,
    hint_choose,
    hint_point,
    hint_store,
)
from lessons.services.limits import LimitExceeded
from tests.base import Personas
from tests.lessons.teaching import (
    fast_passwords,  # noqa: F401 (a fixture, used by name)
    make_assignment,
    make_conversation,
)

pytestmark = pytest.mark.django_db
CAFE = [
    {"text": "Quisiera un café con leche.", "gloss": "I'd like a white coffee."},
    {"text": "¿Cuánto cuesta?", "gloss": "How much is it?"},
]


def given(conversation: Conversation, point: int, suggestions=CAFE, **fields) -> Hint:  # type: ignore[no-untyped-def]
    hint = hint_begin(conversation_id=conversation.pk, point=point, ip=fields.pop("ip", None))
    hint = hint_store(hint_id=hint.pk, suggestions=list(suggestions))
    Hint.objects.filter(pk=hint.pk).update(**fields)
    return Hint.objects.get(pk=hint.pk)


def test_the_point_is_the_next_turns_ordinal(personas: Personas) -> None:
    empty = make_conversation(personas.alice, status="active")
    assert hint_point(conversation_id=empty.pk) == 0
    said = make_conversation(personas.alice, said=["Hola"])
    assert hint_point(conversation_id=said.pk) == 2


def test_a_point_is_cached_only_once_its_suggestions_came_back(personas: Personas) -> None:
    conversation = make_conversation(personas.alice, status="active")
    pending = hint_begin(conversation_id=conversation.pk, point=0, ip=None)
    assert hint_cached(conversation_id=conversation.pk, point=0) is None
    again = hint_begin(conversation_id=conversation.pk, point=0, ip=None)
    assert (again.pk, again.attempts) == (pending.pk, 2)
    hint_store(hint_id=pending.pk, suggestions=CAFE)
    cached = hint_cached(conversation_id=conversation.pk, point=0)
    assert cached is not None and cached.suggestions == CAFE
    assert hint_cached(conversation_id=conversation.pk, point=1) is None


def test_stored_suggestions_are_cut_to_what_a_page_shows(personas: Personas) -> None:
    conversation = make_conversation(personas.alice, status="active")
    many = [{"text": f"  Frase {n} " + "x" * 300, "gloss": "g"} for n in range(5)]
    hint = given(conversation, 0, many)
    assert len(hint.suggestions) == 3
    assert hint.suggestions[0]["text"].startswith("Frase 0 ")
    assert len(hint.suggestions[0]["text"]) == 200


@override_settings(HINTS_PER_HOUR=3)
def test_the_learners_limit_counts_calls_not_rows(personas: Personas) -> None:
    one = make_conversation(personas.alice, status="active")
    two = make_conversation(personas.alice, status="active")
    given(one, 0, attempts=2)  # a failed call retried: two calls
    hint_check_rate(conversation=two, ip=None)
    given(two, 0)
    with pytest.raises(LimitExceeded, match="a lot of hints in the last hour"):
        hint_check_rate(conversation=two, ip=None)
    # Someone else is not affected, and an hour later the learner is not either.
    hint_check_rate(conversation=make_conversation(personas.charlie, status="active"), ip=None)
    Hint.objects.update(created_at=timezone.now() - timedelta(hours=1, seconds=1))
    hint_check_rate(conversation=two, ip=None)


@override_settings(HINTS_PER_HOUR=1)
def test_a_trial_is_limited_per_browser_session(personas: Personas) -> None:
    mine = Conversation.objects.create(trial_session_key="abc", language="es", level="A2")
    again = Conversation.objects.create(trial_session_key="abc", language="es", level="A2")
    other = Conversation.objects.create(trial_session_key="xyz", language="es", level="A2")
    given(mine, 0)
    with pytest.raises(LimitExceeded):
        hint_check_rate(conversation=again, ip=None)
    hint_check_rate(conversation=other, ip=None)


@override_settings(HINTS_PER_IP_PER_HOUR=2)
def test_the_address_limit_counts_everyone_there(personas: Personas) -> None:
    given(make_conversation(personas.alice, status="active"), 0, ip="198.51.100.7")
    given(make_conversation(personas.charlie, status="active"), 0, ip="198.51.100.7")
    bob_talks = make_conversation(personas.bob, status="active")
    with pytest.raises(LimitExceeded, match="from your network"):
        hint_check_rate(conversation=bob_talks, ip="198.51.100.7")
    hint_check_rate(conversation=bob_talks, ip="198.51.100.8")


def test_a_choice_must_name_a_suggestion_of_this_conversation(personas: Personas) -> None:
    conversation = make_conversation(personas.alice, status="active")
    hint = given(conversation, 0)
    other = make_conversation(personas.alice, status="active")
    assert not hint_choose(conversation_id=other.pk, hint_id=hint.pk, index=0)
    assert not hint_choose(conversation_id=conversation.pk, hint_id=hint.pk, index=2)
    assert hint_choose(conversation_id=conversation.pk, hint_id=hint.pk, index=1)
    assert Hint.objects.get().chosen == 1


def test_a_hint_belongs_to_the_learner_turn_that_followed_it(personas: Personas) -> None:
    # Turns: 0 tutor, 1 learner, 2 tutor, 3 learner, 4 tutor, 5 learner.
    said = ["Hola", "Eh… quisiera un cafe con leche", "Nada más"]
    conversation = make_conversation(personas.alice, said=said)
    given(conversation, 0)  # asked before the tutor's greeting: the first learner turn
    given(conversation, 2, chosen=0)  # asked before the tutor's second line...
    given(conversation, 3, chosen=0)  # ...and again just before the learner spoke
    given(conversation, 6)  # asked at the end: no turn followed
    pending = hint_begin(conversation_id=conversation.pk, point=4, ip=None)  # never answered
    assert pending.suggestions == []
    found = hints_by_turn(conversation.pk, conversation.turns.all())
    assert sorted(found) == [1, 3]
    assert found[1].said is None
    # The last hint before turn 3 counts; its first suggestion was said, accent and filler aside.
    assert (found[3].chosen, found[3].said, found[3].said_text) == (0, 0, CAFE[0]["text"])


def test_the_review_page_marks_the_turn_that_needed_help(
    client: Client, personas: Personas
) -> None:
    conversation = make_conversation(personas.alice, said=["Hola", "¿Cuánto cuesta?"])
    given(conversation, 2)
    client.force_login(personas.alice)
    page = client.get(reverse("learn:conversation_review", args=[conversation.pk])).content
    html = page.decode()
    assert html.count("hint used") == 1
    turn_3 = html.index('id="turn-3"')
    assert html.index("hint used") > turn_3 > html.index('id="turn-1"')
    assert "How much is it?" in html and "(one was said)" in html


@pytest.mark.usefixtures("fast_passwords")
def test_the_teachers_transcript_marks_it_too(client: Client, personas: Personas) -> None:
    assignment = make_assignment(personas.classroom)
    conversation = make_conversation(personas.alice, assignment, said=["Hola", "Adiós"])
    given(conversation, 0)
    client.force_login(personas.bob)
    html = client.get(reverse("teach:transcript", args=[conversation.pk])).content.decode()
    assert html.count("hint used") == 1
    assert html.index('id="turn-1"') < html.index("hint used") < html.index('id="turn-2"')
    assert "Quisiera un café con leche." in html


def test_a_hints_address_goes_after_the_hour_its_limit_counts(personas: Personas) -> None:
    conversation = make_conversation(personas.alice, status="active")
    old, new = given(conversation, 0, ip="10.0.0.9"), given(conversation, 1, ip="10.0.0.9")
    Hint.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    out = StringIO()
    call_command("enforce_retention", stdout=out)
    assert "Cleared the IP address of 1 hint request(s)" in out.getvalue()
    assert dict(Hint.objects.values_list("pk", "ip")) == {old.pk: None, new.pk: "10.0.0.9"}
