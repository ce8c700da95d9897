"""Words looked up in a caption: the explanation, kept once per language, word and native
language so that a class reading the same caption costs one model call, and each lookup, kept
with the line it was made on so that the review page and the teacher's transcript can show it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from accounts.choices import NATIVE_LANGUAGES, TARGET_LANGUAGES
from lessons.models.conversations import Conversation
from lessons.models.turns import Turn


class WordEntry(models.Model):
    """A word explained by the text model. `word` is the normalised form that was tapped
    (lessons.text.lookup.cache_key); the example is written at the level of the first learner
    who asked, which in a class is everyone's."""

    class Pos(models.TextChoices):
        NOUN = "noun", pgettext_lazy("part of speech", "noun")
        VERB = "verb", pgettext_lazy("part of speech", "verb")
        ADJECTIVE = "adjective", pgettext_lazy("part of speech", "adjective")
        ADVERB = "adverb", pgettext_lazy("part of speech", "adverb")
        PRONOUN = "pronoun", pgettext_lazy("part of speech", "pronoun")
        PREPOSITION = "preposition", pgettext_lazy("part of speech", "preposition")
        CONJUNCTION = "conjunction", pgettext_lazy("part of speech", "conjunction")
        DETERMINER = "determiner", pgettext_lazy("part of speech", "determiner")
        NUMERAL = "numeral", pgettext_lazy("part of speech", "numeral")
        PARTICLE = "particle", pgettext_lazy("part of speech", "particle")
        INTERJECTION = "interjection", pgettext_lazy("part of speech", "interjection")
        PROPER_NOUN = "proper noun", pgettext_lazy("part of speech", "proper noun")
        OTHER = "other", pgettext_lazy("part of speech", "other")

    language = models.CharField(max_length=8, choices=TARGET_LANGUAGES)
    word = models.CharField(max_length=64)
    native_language = models.CharField(max_length=8, choices=NATIVE_LANGUAGES)
    lemma = models.CharField(max_length=100)
    meaning = models.CharField(max_length=300)
    pos = models.CharField(max_length=16, choices=Pos.choices, default=Pos.OTHER)
    example = models.CharField(max_length=300, blank=True)
    level = models.CharField(max_length=2, blank=True)
    model = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language", "word", "native_language"], name="word_entry_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.word} ({self.language}→{self.native_language})"


class WordLookup(models.Model):
    """One tap on a word of one line. Made before the model is asked, so failed lookups count
    against the limits too; `entry` is filled in once the word is explained."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="word_lookups"
    )
    turn = models.ForeignKey(
        Turn, null=True, blank=True, on_delete=models.CASCADE, related_name="word_lookups"
    )
    word = models.CharField(max_length=64)  # as it appeared in the caption
    entry = models.ForeignKey(
        WordEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="lookups"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)  # cleared after an hour
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.word!r} looked up in {self.conversation_id}"
