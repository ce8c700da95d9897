from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.lessons.lti.platform import ISS, Adapter, Lms


@pytest.fixture
def lms(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Lms]:
    """The platform, and every HTTPS request to it answered by it (the network edge)."""
    platform = Lms.make()
    original = requests.Session.get_adapter

    def get_adapter(self: requests.Session, url: str) -> Any:
        if url.startswith(ISS):
            return Adapter(platform)
        return original(self, url)

    monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)
    yield platform
