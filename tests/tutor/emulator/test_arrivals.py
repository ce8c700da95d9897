"""tutor/emulator/arrivals.py: the benchmark's per-chunk arrival log."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.emulator import arrivals


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "arrivals.log"
    monkeypatch.setenv("TERTULIA_EMULATOR_ARRIVALS", str(path))
    monkeypatch.setattr(arrivals, "_file", None)
    yield path
    if arrivals._file is not None:
        arrivals._file.close()
    monkeypatch.setattr(arrivals, "_file", None)


def test_it_logs_each_session_and_chunk_with_a_monotonic_time(log_file: Path) -> None:
    session = object()
    before = time.monotonic()
    arrivals.setup(session, "You are a Spanish tutor.")
    arrivals.audio(session, 640)
    arrivals.audio(session, 980)
    arrivals.flush()
    lines = [line.split() for line in log_file.read_text().splitlines()]
    digest = hashlib.sha1(b"You are a Spanish tutor.").hexdigest()  # noqa: S324
    assert lines[0] == [str(id(session)), "s", digest]
    assert [line[:3] for line in lines[1:]] == [
        [str(id(session)), "a", "640"],
        [str(id(session)), "a", "980"],
    ]
    assert before <= float(lines[1][3]) <= float(lines[2][3]) <= time.monotonic()


def test_it_writes_nothing_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TERTULIA_EMULATOR_ARRIVALS", raising=False)
    monkeypatch.setattr(arrivals, "_file", None)
    arrivals.setup(object(), "x")
    arrivals.audio(object(), 640)
    arrivals.flush()
    assert arrivals._file is None
    assert list(tmp_path.iterdir()) == []
