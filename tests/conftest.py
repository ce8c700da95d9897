from __future__ import annotations

import pytest

from tests.base import Personas, make_personas


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture
def alice(personas: Personas):  # type: ignore[no-untyped-def]
    return personas.alice


@pytest.fixture
def bob(personas: Personas):  # type: ignore[no-untyped-def]
    return personas.bob


@pytest.fixture
def charlie(personas: Personas):  # type: ignore[no-untyped-def]
    return personas.charlie


@pytest.fixture
def topics(db: None) -> None:
    # Imported here so Django-free test files still run with `-p no:django`.
    from lessons.topic_library import load_builtin_topics

    load_builtin_topics()
