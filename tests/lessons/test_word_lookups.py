"""Words looked up in captions, as the services keep them and the pages show them: the shared
explanation (one per language, word and native language, safe against a race), the record of
each tap on its line, the deck card, the limits, and "Looked up: …" on the learner's review
page and the teacher's transcript."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from lessons.models import Phrase, WordEntry, WordLookup
from lessons.services import words as services
from lessons.services.limits import LimitExceeded
from lessons.services.retention import retention_enforce
from tests.base import Personas
from tests.lessons.teaching import make_assignment, make_conversation

pytestmark = pytest.mark.django_db

TIRED = services.Explanation("cansado", "tired", "adjective", "Estoy cansado.")


def _lookup(conversation: Any, ordinal: int, word: str, ip: str | None = None) -> WordLookup:
    tap = services.word_lookup_start(
        conversation=conversation, turn_ordinal=ordinal, word=word, ip=ip
    )
    entry = services.word_entry_store(
        language="es",
        word=word,
        native_language="en",
        explanation=services.Explanation(word.lower(), f"meaning of {word}", "other", ""),
        level="A2",
        model="gemini-test",
    )
    return services.word_lookup_finish(lookup=tap, entry=entry)


def test_an_explanation_is_kept_once_per_language_word_and_native_language() -> None:
    keep = {"language": "es", "native_language": "en", "level": "A2", "model": "m"}
    first = services.word_entry_store(word="Cansado", explanation=TIRED, **keep)
    other = services.Explanation("other", "other", "noun", "")
    again = services.word_entry_store(word="cansado", explanation=other, **keep)
    assert again.pk == first.pk and again.lemma == "cansado"  # the first answer stands
    assert services.word_entry_cached(language="es", word="CANSADO", native_language="en")
    assert not services.word_entry_cached(language="es", word="cansado", native_language="pl")
    assert not services.word_entry_cached(language="pt", word="cansado", native_language="en")
    weird = services.Explanation("x", "y", "gerund", "")
    kept = services.word_entry_store(word="raro", explanation=weird, **keep)
    assert kept.pos == "other"  # a part of speech outside the list is not stored as such


def test_a_concurrent_insert_of_the_same_word_is_recovered(monkeypatch: Any) -> None:
    keep = {"language": "es", "native_language": "en", "level": "A2", "model": "m"}
    theirs = services.word_entry_store(word="cansado", explanation=TIRED, **keep)

    def lost_the_race(**kwargs: Any) -> Any:
        """This request's get missed; another learner's insert committed before its own."""
        raise IntegrityError('duplicate key value violates unique constraint "word_entry_unique"')

    monkeypatch.setattr(WordEntry.objects, "get_or_create", lost_the_race)
    mine = services.word_entry_store(word="cansado", explanation=TIRED, **keep)
    assert mine.pk == theirs.pk


def test_the_review_page_and_the_teachers_transcript_show_the_words_looked_up(
    client: Client, personas: Personas
) -> None:
    conversation = make_conversation(
        personas.alice, make_assignment(personas.classroom), said=["Estoy cansado, aunque bien"]
    )
    learner_turn = conversation.turns.get(speaker="learner")
    for word in ("cansado", "aunque", "Cansado"):
        _lookup(conversation, learner_turn.ordinal, word)
    failed = services.word_lookup_start(
        conversation=conversation, turn_ordinal=learner_turn.ordinal, word="bien", ip=None
    )
    assert failed.entry is None  # the model never answered: not shown
    client.force_login(personas.alice)
    page = client.get(reverse("learn:conversation_review", args=[conversation.pk])).content.decode()
    assert (
        '<span class="looked-up-label">Looked up:</span> <span lang="es">cansado</span>, ' in page
    )
    assert '<span lang="es">aunque</span></p>' in page
    assert "bien</span></p>" not in page
    assert page.count("Looked up:") == 1
    assert reverse("tutor:word_lookup", args=[conversation.pk]) in page  # words are tappable
    client.force_login(personas.bob)
    response = client.get(reverse("teach:transcript", args=[conversation.pk]))
    assert response.status_code == 200, response
    page = response.content.decode()
    assert (
        '<span class="looked-up-label">Looked up:</span> <span lang="es">cansado</span>, ' in page
    )
    assert page.count("Looked up:") == 1


def test_a_cards_text_is_the_word_tapped_without_a_capital_from_the_start_of_a_line(
    personas: Personas,
) -> None:
    conversation = make_conversation(personas.alice, said=["Estás bien"])
    tap = services.word_lookup_start(
        conversation=conversation, turn_ordinal=1, word="Estás", ip=None
    )
    keep = {"language": "es", "native_language": "en", "level": "A2", "model": "m"}
    verb = services.Explanation("estar", "you are", "verb", "")
    tap.entry = services.word_entry_store(word="Estás", explanation=verb, **keep)
    assert services.card_text(tap) == "estás"
    tap.word, tap.entry.lemma = "wochenende", "Wochenende"
    assert services.card_text(tap) == "Wochenende"
    tap.word, tap.entry.lemma = "París", "París"
    assert services.card_text(tap) == "París"


def test_limits_count_every_tap_and_say_why(personas: Personas, settings: Any) -> None:
    settings.WORD_LOOKUPS_PER_HOUR = 2
    conversation = make_conversation(personas.alice, said=["Hola"])
    _lookup(conversation, 1, "Hola")
    services.word_lookup_start(conversation=conversation, turn_ordinal=1, word="Hola", ip=None)
    with pytest.raises(LimitExceeded, match="looked up a lot of words"):
        services.word_lookup_start(conversation=conversation, turn_ordinal=1, word="Hola", ip=None)
    # Another learner is not held back by Alice's taps.
    other = make_conversation(personas.charlie, said=["Bonjour"])
    services.word_lookup_start(conversation=other, turn_ordinal=1, word="Bonjour", ip=None)


def test_a_card_from_a_word_is_made_once_and_only_for_its_learner(personas: Personas) -> None:
    conversation = make_conversation(personas.alice, said=["Estoy cansado"])
    tap = _lookup(conversation, 1, "cansado")
    card, created = services.word_add_to_deck(
        learner=personas.alice, lookup_id=tap.pk, conversation_id=conversation.pk
    )
    assert created and (card.text, card.translation) == ("cansado", "meaning of cansado")
    assert conversation in card.noted_in.all()
    again, created = services.word_add_to_deck(
        learner=personas.alice, lookup_id=tap.pk, conversation_id=conversation.pk
    )
    assert (again.pk, created) == (card.pk, False)
    assert Phrase.objects.count() == 1
    with pytest.raises(LookupError):
        services.word_add_to_deck(
            learner=personas.charlie, lookup_id=tap.pk, conversation_id=conversation.pk
        )


def test_the_learners_export_holds_the_words_looked_up(client: Client, personas: Personas) -> None:
    import json

    conversation = make_conversation(personas.alice, said=["Estoy cansado"])
    _lookup(conversation, 1, "cansado")
    _lookup(make_conversation(personas.charlie, said=["Bonjour"]), 1, "Bonjour")  # not hers
    _lookup(conversation, 1, "Estoy")
    client.force_login(personas.alice)
    data = json.loads(client.get(reverse("learn:export_json")).content)
    (exported,) = data["conversations"]
    assert [(w["turn_ordinal"], w["word"], w["lemma"]) for w in exported["word_lookups"]] == [
        (1, "cansado", "cansado"),
        (1, "Estoy", "estoy"),
    ]


def test_retention_clears_lookup_addresses_after_the_hour(personas: Personas) -> None:
    from datetime import timedelta

    from django.utils import timezone

    conversation = make_conversation(personas.alice, said=["Hola"])
    old = _lookup(conversation, 1, "Hola", ip="203.0.113.9")
    new = _lookup(conversation, 1, "Hola", ip="203.0.113.9")
    WordLookup.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert retention_enforce().word_addresses == 1
    assert [w.ip for w in WordLookup.objects.order_by("id")] == [None, "203.0.113.9"]
    assert new.ip == "203.0.113.9"
