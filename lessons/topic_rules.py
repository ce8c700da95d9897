"""Rules a teacher-authored topic must meet, shared by the authoring form and the JSON import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.choices import LEVEL_ORDER
from lessons.models import Topic

if TYPE_CHECKING:
    from accounts.models import User

MIN_PHRASES = 1
MAX_PHRASES = 8
PHRASE_MAX_LENGTH = 120
# The prompt builder keeps at most 1000 characters of any field; longer text would be cut.
SCENARIO_MAX_LENGTH = 1000


def clean_phrases(phrases: list[str]) -> list[str]:
    """Trimmed, blank lines dropped, duplicates (ignoring case) dropped; 1–8 of ≤ 120 chars."""
    seen: set[str] = set()
    cleaned = []
    for phrase in (" ".join(p.split()) for p in phrases):
        if phrase and phrase.casefold() not in seen:
            seen.add(phrase.casefold())
            cleaned.append(phrase)
    if not MIN_PHRASES <= len(cleaned) <= MAX_PHRASES:
        raise ValidationError(
            _("Give between %(min)s and %(max)s target phrases, one per line (you gave %(given)s).")
            % {"min": MIN_PHRASES, "max": MAX_PHRASES, "given": len(cleaned)}
        )
    too_long = [p for p in cleaned if len(p) > PHRASE_MAX_LENGTH]
    if too_long:
        raise ValidationError(
            _("Keep each phrase under %(max)s characters: “%(phrase)s…”.")
            % {"max": PHRASE_MAX_LENGTH, "phrase": too_long[0][:40]}
        )
    return cleaned


def check_levels(level_min: str, level_max: str) -> None:
    if LEVEL_ORDER.index(level_min) > LEVEL_ORDER.index(level_max):
        raise ValidationError(
            _("The lowest level (%(level_min)s) must not be above the highest (%(level_max)s).")
            % {"level_min": level_min, "level_max": level_max}
        )


def unique_slug(*, author: User, language: str, title: str, exclude_pk: int | None = None) -> str:
    """A slug from the title, unique among the author's topics in that language."""
    base = slugify(title)[:70] or "topic"
    others = Topic.objects.filter(author=author, language=language, slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
