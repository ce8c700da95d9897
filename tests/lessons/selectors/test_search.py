"""Full-text search in each conversation's own language (lessons/selectors/search.py)."""

from __future__ import annotations

import pytest

from accounts.choices import TARGET_LANGUAGES
from accounts.models import User
from lessons.models import Conversation
from lessons.selectors.search import TS_CONFIGS, conversations_matching, snippets_for, split_marks
from tests.lessons.learner_data import make_conversation

pytestmark = pytest.mark.django_db


def test_every_target_language_has_a_text_search_configuration() -> None:
    assert set(TS_CONFIGS) == {code for code, _ in TARGET_LANGUAGES}
    assert TS_CONFIGS["ja"] == "simple"


@pytest.mark.parametrize(
    ("language", "said", "query"),
    [
        ("es", "Nosotros comemos paella", "comer"),
        ("fr", "Je parle avec elle", "parler"),
        ("de", "Wir kaufen Brötchen", "Brötchens"),
        ("it", "Noi parliamo italiano", "parlare"),
        ("pt", "Nós falamos português", "falar"),
        ("en", "We were walking home", "walks"),
        ("ja", "東京 に 行きました", "東京"),
    ],
)
def test_it_stems_words_in_the_conversations_language(
    alice: User, language: str, said: str, query: str
) -> None:
    make_conversation(alice, language=language, turns=[("learner", said)])
    mine = Conversation.objects.owned_by(alice)
    assert conversations_matching(mine, query).count() == 1


def test_the_language_decides_the_stemming(alice: User) -> None:
    # English stemming turns "walking" into "walk"; Spanish stemming leaves the English word
    # whole, so the inflected query only finds the English conversation.
    english = make_conversation(alice, language="en", turns=[("learner", "walking")])
    make_conversation(alice, language="es", turns=[("learner", "walking")])
    found = conversations_matching(Conversation.objects.owned_by(alice), "walks")
    assert list(found) == [english]


def test_websearch_syntax_never_errors(alice: User) -> None:
    make_conversation(alice, turns=[("learner", "la cuenta por favor")])
    mine = Conversation.objects.owned_by(alice)
    for query in ['"la cuenta"', "cuenta -favor", "cuenta or nada", "&|!(", "'"]:
        conversations_matching(mine, query).count()
    assert conversations_matching(mine, '"la cuenta"').count() == 1
    assert conversations_matching(mine, "cuenta -favor").count() == 0


def test_snippets_are_limited_per_conversation(alice: User) -> None:
    conversation = make_conversation(alice, turns=[("learner", f"hola {i}") for i in range(6)])
    snippets = snippets_for([conversation.pk], "hola")[conversation.pk]
    assert [s.ordinal for s in snippets] == [0, 1]
    assert snippets[0].parts == [(True, "hola"), (False, " 0")]


def test_split_marks() -> None:
    assert split_marks("a \x02b\x03 c \x02d\x03") == [
        (False, "a "),
        (True, "b"),
        (False, " c "),
        (True, "d"),
    ]
    assert split_marks("plain") == [(False, "plain")]
