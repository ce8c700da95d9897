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


@pytest.fixture
def lms(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An LTI 1.3 platform in the test process (tests/lessons/lti/platform.py), and every
    HTTPS request to it answered by it: the network edge, nothing of the tool is mocked."""
    import requests

    from tests.lessons.lti.platform import ISS, Adapter, Lms

    platform = Lms.make()
    original = requests.Session.get_adapter

    def get_adapter(self: requests.Session, url: str) -> Any:
        if url.startswith(ISS):
            return Adapter(platform)
        return original(self, url)

    monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)
    yield platform
