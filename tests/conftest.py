from __future__ import annotations

import pytest

from lessons.topic_library import load_builtin_topics
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
    load_builtin_topics()
