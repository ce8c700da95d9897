"""Reusable filters on the domain models."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.choices import LEVEL_ORDER

if TYPE_CHECKING:
    from accounts.models import User


def levels_up_to(level: str) -> list[str]:
    return LEVEL_ORDER[: LEVEL_ORDER.index(level) + 1]


class TopicQuerySet(models.QuerySet[Any]):
    def builtin(self) -> TopicQuerySet:
        return self.filter(author__isnull=True)

    def for_language(self, language: str) -> TopicQuerySet:
        return self.filter(language=language)

    def suits_level(self, level: str) -> TopicQuerySet:
        """Topics whose CEFR range includes `level`."""
        return self.filter(level_min__lte=level, level_max__gte=level)

    def visible_to(self, user: User) -> TopicQuerySet:
        """Built-in topics plus the user's own and those of their classrooms' teachers."""
        return self.filter(
            Q(author__isnull=True) | Q(author=user) | Q(assignments__classroom__learners=user)
        ).distinct()


class ConversationQuerySet(models.QuerySet[Any]):
    def owned_by(self, user: User) -> ConversationQuerySet:
        return self.filter(learner=user)

    def finished(self) -> ConversationQuerySet:
        return self.exclude(status="active")

    def trials_since(self, since: datetime) -> ConversationQuerySet:
        return self.filter(learner__isnull=True, started_at__gte=since)


class PhraseQuerySet(models.QuerySet[Any]):
    def due_for(self, user: User, now: datetime | None = None) -> PhraseQuerySet:
        return self.filter(learner=user, due__lte=now or timezone.now())
