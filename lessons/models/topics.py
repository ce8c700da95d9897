"""Topics: the conversation subjects and role-plays, built in or written by a teacher."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.choices import TARGET_LANGUAGES, TUTOR_VOICES, CorrectionStyle, Level
from lessons.querysets import TopicQuerySet

# What a topic says (as opposed to who owns it): the library files, the portable export and
# the teachers' form all carry these.
TOPIC_CONTENT_FIELDS = (
    "title",
    "level_min",
    "level_max",
    "scenario",
    "tutor_role",
    "learner_goal",
    "target_phrases",
    "grammar_focus",
    "opener",
    "persona_name",
    "voice",
)


class Topic(models.Model):
    """A conversation topic or role-play: built in (author empty) or written by a teacher."""

    slug = models.SlugField(max_length=80)
    language = models.CharField(max_length=8, choices=TARGET_LANGUAGES)
    title = models.CharField(max_length=120)
    level_min = models.CharField(max_length=2, choices=Level.choices, default=Level.A1)
    level_max = models.CharField(max_length=2, choices=Level.choices, default=Level.C2)
    scenario = models.TextField()
    tutor_role = models.CharField(max_length=200)
    learner_goal = models.CharField(max_length=300, blank=True)
    target_phrases = models.JSONField(default=list, blank=True)
    grammar_focus = models.CharField(max_length=200, blank=True)
    opener = models.CharField(max_length=300, blank=True)
    # The persona the tutor plays: `tutor_role` is the role, these its name and voice (one of
    # Gemini's prebuilt voices; blank: the language's usual voice). Database defaults so that a
    # process still running older code can go on saving topics during an upgrade.
    persona_name = models.CharField(max_length=60, blank=True, default="", db_default="")
    voice = models.CharField(
        max_length=20, choices=TUTOR_VOICES, blank=True, default="", db_default=""
    )
    # Blank: the learner's own preference; set by a teacher to override it for a role-play.
    correction_style = models.CharField(max_length=10, choices=CorrectionStyle.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="authored_topics",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[TopicQuerySet] = TopicQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["language", "level_min", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"],
                condition=Q(author__isnull=True),
                name="topic_builtin_slug_unique",
            ),
            models.UniqueConstraint(
                fields=["author", "language", "slug"],
                condition=Q(author__isnull=False),
                name="topic_authored_slug_unique",
            ),
            models.CheckConstraint(
                condition=Q(level_min__in=Level.values) & Q(level_max__in=Level.values),
                name="topic_levels_valid",
            ),
            # CEFR codes sort alphabetically in level order (A1 < A2 < B1 ... < C2).
            models.CheckConstraint(
                condition=Q(level_min__lte=F("level_max")), name="topic_level_range_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_language_display()}, {self.level_range})"

    @property
    def level_range(self) -> str:
        if self.level_min == self.level_max:
            return self.level_min
        return f"{self.level_min}–{self.level_max}"

    @property
    def is_builtin(self) -> bool:
        return self.author_id is None
