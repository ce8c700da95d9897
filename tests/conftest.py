from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.base import Personas

# Django-dependent imports live inside the fixtures so Django-free test files still run
# with `-p no:django`.


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The real hasher costs ~0.5 s per persona; tests that log in by password still work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def personas(db: None) -> Personas:
    from tests.base import make_personas

    return make_personas()


@pytest.fixture
def alice(personas: Personas) -> Any:
    return personas.alice


@pytest.fixture
def bob(personas: Personas) -> Any:
    return personas.bob


@pytest.fixture
def charlie(personas: Personas) -> Any:
    return personas.charlie


@pytest.fixture
def topics(db: None) -> None:
    from lessons.topic_library import load_builtin_topics

    load_builtin_topics()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """REDIS_URL, or a private redis-server for the session (tests/redis_server.py)."""
    from tests.redis_server import redis_url as serve

    with serve() as url:
        yield url
