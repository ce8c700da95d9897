"""The "What your tutor remembers" section of the profile page. The profile is accounts' page
and accounts imports no lessons, so its template draws the section with this tag."""

from __future__ import annotations

from typing import Any

from django import template

from lessons.models import MEMORY_LINE_CHARS, MEMORY_MAX_CHARS, MEMORY_MAX_LINES
from lessons.selectors.memory import memory_lines
from lessons.services.privacy import memory_allowed

register = template.Library()


@register.inclusion_tag("lessons/_memory.html")
def learner_memory(user: Any) -> dict[str, Any]:
    lines = memory_lines(user)
    return {
        "memory_on": user.tutor_memory,
        "class_forbids": not memory_allowed(user),
        "lines": lines,
        "used": sum(len(line.text) for line in lines),
        "max_chars": MEMORY_MAX_CHARS,
        "max_lines": MEMORY_MAX_LINES,
        "line_chars": MEMORY_LINE_CHARS,
    }
