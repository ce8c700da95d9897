"""Looking up a word in a caption: the limits, the shared explanation (one per language, word
and native language, so a second learner's tap makes no model call), the record of each
lookup on its line, and the card a looked-up word becomes in the learner's deck."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lessons.models import Conversation, Phrase, Turn, WordEntry, WordLookup
from lessons.services.cards import _card
from lessons.services.limits import LimitExceeded
from lessons.text.lookup import cache_key

if TYPE_CHECKING:
    from accounts.models import User

POS_VALUES = frozenset(WordEntry.Pos.values)


@dataclass(frozen=True)
class Explanation:
    """What the model says about a word, already checked (tutor.live.words)."""

    lemma: str
    meaning: str
    pos: str
    example: str


def word_lookup_rate(*, conversation: Conversation, ip: str | None) -> None:
    """Lookups in the last hour per learner (a trial: per trial conversation, in all) and per
    address. Raises LimitExceeded with a message to show."""
    lookups = WordLookup.objects.all()
    trial = conversation.learner_id is None
    if trial and lookups.filter(conversation=conversation).count() >= (
        settings.WORD_LOOKUPS_PER_TRIAL
    ):
        raise LimitExceeded(
            _(
                "That's all the words a free trial can look up. Sign up (it's free) to look up "
                "as many as you like and keep them in your deck."
            )
        )
    recent = lookups.filter(created_at__gte=timezone.now() - timedelta(hours=1))
    if conversation.learner_id is not None and (
        recent.filter(conversation__learner_id=conversation.learner_id).count()
        >= settings.WORD_LOOKUPS_PER_HOUR
    ):
        raise LimitExceeded(
            _(
                "You've looked up a lot of words in the last hour. Take a short break and try "
                "again soon."
            )
        )
    if ip and recent.filter(ip=ip).count() >= settings.WORD_LOOKUPS_PER_IP_PER_HOUR:
        raise LimitExceeded(
            _(
                "A lot of words have been looked up from your network in the last hour. "
                "Try again soon."
            )
        )


def word_lookup_start(
    *, conversation: Conversation, turn_ordinal: int | None, word: str, ip: str | None
) -> WordLookup:
    """Check the limits and record the tap, before anything is asked of the model."""
    word_lookup_rate(conversation=conversation, ip=ip)
    turn = None
    if turn_ordinal is not None:
        turn = Turn.objects.filter(conversation=conversation, ordinal=turn_ordinal).first()
    return WordLookup.objects.create(conversation=conversation, turn=turn, word=word[:64], ip=ip)


def word_entry_cached(*, language: str, word: str, native_language: str) -> WordEntry | None:
    return WordEntry.objects.filter(
        language=language, word=cache_key(word)[:64], native_language=native_language
    ).first()


def word_entry_store(
    *,
    language: str,
    word: str,
    native_language: str,
    explanation: Explanation,
    level: str,
    model: str,
) -> WordEntry:
    """Keep an explanation. Two learners who asked at once both get the first one stored."""
    key = cache_key(word)[:64]
    defaults = {
        "lemma": explanation.lemma[:100],
        "meaning": explanation.meaning[:300],
        "pos": explanation.pos if explanation.pos in POS_VALUES else WordEntry.Pos.OTHER,
        "example": explanation.example[:300],
        "level": level,
        "model": model[:80],
    }
    try:
        with transaction.atomic():
            entry, _created = WordEntry.objects.get_or_create(
                language=language, word=key, native_language=native_language, defaults=defaults
            )
    except IntegrityError:
        entry = WordEntry.objects.get(language=language, word=key, native_language=native_language)
    return entry


def word_lookup_finish(*, lookup: WordLookup, entry: WordEntry) -> WordLookup:
    lookup.entry = entry
    lookup.save(update_fields=["entry"])
    return lookup


def card_text(lookup: WordLookup) -> str:
    """The card's text: the word as it was tapped, since the meaning is the word's in its line
    ("estás": "you are", dictionary form "estar" on the back). The lemma's spelling when it is
    the same word ("Wochenende"); a capital only due to the start of a line goes."""
    word, lemma = lookup.word, lookup.entry.lemma if lookup.entry else ""
    if lemma and lemma.casefold() == word.casefold():
        return lemma[:300]
    if word[:1].isupper() and lemma[:1].islower():
        return (word[:1].lower() + word[1:])[:300]
    return word[:300]


def word_card_exists(*, learner: User, lookup: WordLookup) -> bool:
    entry = lookup.entry
    return entry is not None and (
        Phrase.objects.filter(
            learner=learner, language=entry.language, text=card_text(lookup)
        ).exists()
    )


def word_add_to_deck(
    *, learner: User, lookup_id: int, conversation_id: UUID
) -> tuple[Phrase, bool]:
    """The looked-up word as a phrase card in the learner's deck: the word on the front, its
    meaning to translate, the dictionary form, part of speech and example as its note.
    Returns (card, created); a word already in the deck is not added twice. LookupError if the
    lookup is not this learner's."""
    lookup = (
        WordLookup.objects.select_related("entry", "conversation")
        .filter(
            pk=lookup_id,
            conversation_id=conversation_id,
            conversation__learner=learner,
            entry__isnull=False,
        )
        .first()
    )
    if lookup is None or lookup.entry is None:
        raise LookupError("No such lookup")
    entry = lookup.entry
    existed = word_card_exists(learner=learner, lookup=lookup)
    note = f"{entry.lemma} ({entry.pos})."
    if entry.example:
        note += f" Example: {entry.example}"
    card = _card(
        learner_id=learner.pk,
        language=entry.language,
        text=card_text(lookup),
        conversation_id=lookup.conversation_id,
        defaults={
            "translation": entry.meaning[:300],
            "note": note,
            "source_turn_id": lookup.turn_id,
        },
    )
    return card, not existed
