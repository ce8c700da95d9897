"""The bridge against the emulator keeps the emulator's own end-of-speech silence."""

from __future__ import annotations

import pytest


@pytest.fixture
def emulator_silence_ms() -> int:
    return 600  # the emulator's default, as the real service's
