"""What a teacher teaches, and the built-in library ordered for them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from accounts.choices import LANGUAGE_NAMES, LEVEL_ORDER
from lessons.models import Classroom, Topic

if TYPE_CHECKING:
    from accounts.models import User


def taught_languages(teacher: User, classroom_languages: Iterable[str] | None = None) -> list[str]:
    """The languages the teacher said they teach (in their order), then those of their
    classrooms (pass them if they are loaded already); the language they practise only when
    neither names one."""
    said = [str(code) for code in teacher.teaching_languages or []]
    if classroom_languages is None:
        classrooms = Classroom.objects.filter(teacher=teacher).order_by("created_at", "pk")
        classroom_languages = classrooms.values_list("language", flat=True)
    found = [*said, *classroom_languages]
    ordered = list(dict.fromkeys(found))  # first occurrence wins
    return ordered or [teacher.target_language]


def builtin_topics_for(teacher: User) -> list[Topic]:
    """The built-in library with the teacher's languages first (in their order), then the
    others by name; within a language by level, then title."""
    first = {code: rank for rank, code in enumerate(taught_languages(teacher))}

    def key(topic: Topic) -> tuple[int, str, int, str]:
        rank = first.get(topic.language, len(first))
        name = "" if topic.language in first else str(LANGUAGE_NAMES.get(topic.language, ""))
        return (rank, name, LEVEL_ORDER.index(topic.level_min), topic.title)

    return sorted(Topic.objects.builtin(), key=key)


def classroom_defaults(teacher: User) -> dict[str, str]:
    """A new classroom's language and levels, from what the teacher said they teach."""
    return {
        "language": taught_languages(teacher)[0],
        "level_min": teacher.teaching_level_min,
        "level_max": teacher.teaching_level_max,
    }
