"""Prompt text files under `text/`, loaded once and filled in strictly with `string.Template`."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Template

TEXT_DIR = Path(__file__).parent / "text"


@cache
def load(name: str) -> Template:
    """The template at `text/<name>`; ValueError if it has a malformed `$` placeholder."""
    template = Template((TEXT_DIR / name).read_text(encoding="utf-8").rstrip("\n"))
    if not template.is_valid():
        raise ValueError(f"prompt template {name} has a malformed placeholder (write $$ for $)")
    return template


def render(name: str, /, **values: str) -> str:
    """Fill `text/<name>`; KeyError naming every placeholder that has no value.

    Extra values are ignored, so callers can pass one shared context to every template.
    """
    template = load(name)
    missing = sorted(set(template.get_identifiers()) - values.keys())
    if missing:
        raise KeyError(f"prompt template {name} has no value for {', '.join(missing)}")
    return template.substitute(values)


@cache
def free_talk_subjects() -> dict[str, str]:
    """Level -> comma-separated everyday subjects, from `text/free_talk_subjects.txt`."""
    lines = (TEXT_DIR / "free_talk_subjects.txt").read_text(encoding="utf-8").splitlines()
    pairs = (line.split(":", 1) for line in lines if line.strip())
    return {level.strip(): subjects.strip() for level, subjects in pairs}
