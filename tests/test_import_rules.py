"""The import rules of docs/ARCHITECTURE.md ("Who may import whom"), read from the source with
`ast`: a new import that breaks one fails here, not in review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imports(package: str) -> dict[str, set[str]]:
    """Every module each file under `package` imports (run time and TYPE_CHECKING alike)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path} imports {name}"
        for path, names in imports(package).items()
        for name in sorted(names)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        # Audio is below the socket: it says what is wrong with a frame, the protocol picks
        # the close code.
        ("tutor/audio", ("django", "lessons", "tutor.conversation", "tutor.live", "google")),
        ("tutor/prompts", ("django", "lessons", "google", "tutor.live", "tutor.conversation")),
        (
            "tutor/emulator",
            ("django", "lessons", "tutor.live", "tutor.conversation", "tutor.audio"),
        ),
        ("lessons", ("tutor",)),
        ("lessons/text", ("django.db", "lessons.models")),
        ("accounts", ("lessons", "tutor")),
    ],
)
def test_a_package_imports_nothing_below_it_may_not(
    package: str, forbidden: tuple[str, ...]
) -> None:
    assert offenders(package, forbidden) == []


def test_only_the_bridge_imports_google_genai() -> None:
    outside = [
        line
        for package in ("accounts", "lessons", "tutor")
        for line in offenders(package, ("google",))
        if not line.startswith("tutor/live/")
    ]
    assert outside == []


def test_the_bridge_imports_no_django_but_through_its_seam() -> None:
    django = offenders("tutor/live", ("django", "lessons"))
    assert [line for line in django if not line.startswith("tutor/live/upstream.py")] == []


def test_the_emulator_could_be_lifted_out_as_its_own_package() -> None:
    tertulia = offenders("tutor/emulator", ("tutor",))
    assert [line for line in tertulia if " imports tutor.emulator" not in line] == []


def test_the_floor_is_pure() -> None:
    """tutor/group/floor.py decides whose audio goes up, frame by frame: no Django, no
    asyncio, no I/O, nothing of Tertulia (docs/groups.md)."""
    names = imports("tutor/group")["tutor/group/floor.py"]
    allowed = {"__future__", "math", "collections", "collections.abc", "dataclasses", "typing"}
    assert names - allowed == {"numpy"}
