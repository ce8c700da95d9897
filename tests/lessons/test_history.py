"""The learner's conversation history: lists, filters, search, permissions, query counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from lessons.models import Conversation
from tests.lessons.learner_data import make_conversation, make_topic

pytestmark = pytest.mark.django_db
HISTORY = reverse("learn:history")


def _titles(client: Client, **params: str) -> list[str]:
    response = client.get(HISTORY, params)
    assert response.status_code == 200
    return [c.topic.title if c.topic else "Free" for c, _, _ in response.context["rows"]]


@pytest.mark.parametrize("name", ["history", "deck", "progress", "export_json", "export_csv"])
def test_learner_pages_send_anonymous_visitors_to_sign_in(client: Client, name: str) -> None:
    response = client.get(reverse(f"learn:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_lists_the_learners_conversations_newest_first(client: Client, alice: User) -> None:
    now = timezone.now()
    make_conversation(alice, topic=make_topic("Old"), started_at=now - timedelta(days=2))
    make_conversation(alice, topic=make_topic("New"), started_at=now - timedelta(hours=1))
    make_conversation(alice, started_at=now - timedelta(days=1))
    client.force_login(alice)
    assert _titles(client) == ["New", "Free", "Old"]


def test_each_row_shows_length_speaking_share_and_corrections(client: Client, alice: User) -> None:
    make_conversation(
        alice,
        minutes=12,
        learner_seconds=90,
        tutor_seconds=210,
        corrections=[(1, "Yo quiero", "Quiero", "grammar"), (3, "voy", "fui", "grammar")],
    )
    client.force_login(alice)
    response = client.get(HISTORY)
    (_, figures, _) = response.context["rows"][0]
    assert figures.corrections == 2
    assert figures.talk_percent == 30
    assert round(figures.minutes) == 12
    body = response.content.decode()
    assert "12 min" in body
    assert "30%" in body


def test_speaking_share_falls_back_to_turn_timings(client: Client, alice: User) -> None:
    # One learner turn of 5 s and three tutor turns of 5 s; nothing recorded at finish.
    turns = [("tutor", "Hola"), ("learner", "Hola"), ("tutor", "¿Qué tal?"), ("tutor", "¿Y?")]
    make_conversation(alice, turns=turns, learner_seconds=0, tutor_seconds=0)
    client.force_login(alice)
    (_, figures, _) = client.get(HISTORY).context["rows"][0]
    assert figures.talk_percent == 25


def test_charlie_never_sees_alices_conversations(
    client: Client, alice: User, charlie: User
) -> None:
    make_conversation(alice, topic=make_topic("Alice's café"))
    client.force_login(charlie)
    response = client.get(HISTORY)
    assert response.context["rows"] == []
    assert "Alice's café" not in response.content.decode()


def test_a_trial_conversation_is_nobodys(client: Client, alice: User) -> None:
    make_conversation(None, topic=make_topic("Trial"))
    assert Conversation.objects.get().learner is None
    client.force_login(alice)
    assert _titles(client) == []


def test_it_filters_by_language_and_topic(client: Client, alice: User) -> None:
    cafe, market = make_topic("Café"), make_topic("Mercado")
    paris = make_topic("Paris", language="fr")
    make_conversation(alice, topic=cafe)
    make_conversation(alice, topic=market)
    make_conversation(alice, topic=paris, turns=[("learner", "Je voudrais un café")])
    client.force_login(alice)
    assert _titles(client, language="fr") == ["Paris"]
    assert _titles(client, topic=str(market.pk)) == ["Mercado"]
    assert sorted(_titles(client, language="es")) == ["Café", "Mercado"]


def test_the_filters_offer_only_the_learners_own_languages_and_topics(
    client: Client, alice: User, charlie: User
) -> None:
    make_conversation(alice, topic=make_topic("Café"))
    make_conversation(charlie, topic=make_topic("Secret", language="fr"), turns=[])
    client.force_login(alice)
    form = client.get(HISTORY).context["form"]
    assert [c for c, _ in form.fields["language"].choices] == ["", "es"]
    assert [label for _, label in form.fields["topic"].choices] == ["All topics", "Café"]


def test_an_unknown_filter_value_is_ignored(client: Client, alice: User) -> None:
    make_conversation(alice, topic=make_topic("Café"))
    client.force_login(alice)
    assert _titles(client, language="xx", topic="nope") == ["Café"]


def test_search_finds_other_forms_of_a_word_in_spanish(client: Client, alice: User) -> None:
    make_conversation(alice, topic=make_topic("Café"))  # "quiero comer una tortilla"
    make_conversation(alice, topic=make_topic("Tren"), turns=[("learner", "Necesito un billete")])
    client.force_login(alice)
    assert _titles(client, q="comemos") == ["Café"]
    assert _titles(client, q="billetes") == ["Tren"]
    assert _titles(client, q="avión") == []


def test_search_shows_the_matching_words_marked_and_escaped(client: Client, alice: User) -> None:
    turns = [("learner", "<script>alert(1)</script> 2 < 3 & la cuenta"), ("tutor", "Aquí")]
    make_conversation(alice, turns=turns)
    client.force_login(alice)
    body = client.get(HISTORY, {"q": "cuenta"}).content.decode()
    assert "<mark>cuenta</mark>" in body
    assert "2 &lt; 3 &amp; la" in body
    assert "<script>alert" not in body


def test_search_never_reaches_other_learners_transcripts(
    client: Client, alice: User, charlie: User
) -> None:
    make_conversation(alice, turns=[("learner", "Mi contraseña secreta es pingüino")])
    make_conversation(None, turns=[("learner", "pingüino en la prueba")])
    client.force_login(charlie)
    response = client.get(HISTORY, {"q": "pingüino"})
    assert response.context["rows"] == []
    assert "pingüino</mark>" not in response.content.decode()


def test_search_combines_with_the_language_filter(client: Client, alice: User) -> None:
    make_conversation(alice, topic=make_topic("Café"), turns=[("learner", "un café")])
    make_conversation(
        alice, topic=make_topic("Paris", language="fr"), turns=[("learner", "un café")]
    )
    client.force_login(alice)
    assert _titles(client, q="café", language="fr") == ["Paris"]


def test_it_pages_twenty_conversations_at_a_time(client: Client, alice: User) -> None:
    for _ in range(23):
        make_conversation(alice, turns=[])
    client.force_login(alice)
    assert len(client.get(HISTORY).context["rows"]) == 20
    second = client.get(HISTORY, {"page": "2"})
    assert len(second.context["rows"]) == 3
    assert "Newer" in second.content.decode()


def test_the_page_link_keeps_the_filters(client: Client, alice: User) -> None:
    for _ in range(21):
        make_conversation(alice, turns=[("learner", "hola")])
    client.force_login(alice)
    body = client.get(HISTORY, {"q": "hola"}).content.decode()
    assert "?q=hola&amp;page=2" in body


def test_a_new_learner_is_invited_to_start(client: Client, alice: User) -> None:
    client.force_login(alice)
    body = client.get(HISTORY).content.decode()
    assert "No conversations yet" in body
    assert reverse("lessons:home") in body


def _queries(client: Client, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(HISTORY, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"q": "comer"}, {"language": "es", "q": "café"}])
def test_the_query_count_does_not_grow_with_the_history(
    client: Client,
    alice: User,
    django_assert_max_num_queries: Callable[..., object],
    params: dict[str, str],
) -> None:
    topic = make_topic("Café")
    for _ in range(2):
        make_conversation(alice, topic=topic, corrections=[(1, "Yo quiero", "Quiero", "grammar")])
    client.force_login(alice)
    few = _queries(client, params)
    for _ in range(28):
        make_conversation(alice, topic=topic, corrections=[(1, "Yo quiero", "Quiero", "grammar")])
    with django_assert_max_num_queries(few):  # type: ignore[operator]
        client.get(HISTORY, params)
