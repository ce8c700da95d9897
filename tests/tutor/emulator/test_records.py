"""Faults from JSON and session records (tutor/emulator/records.py)."""

from __future__ import annotations

import json

import pytest

from tutor.emulator.records import Fault, SessionRecord


def test_a_fault_is_built_from_its_json_fields() -> None:
    fault = Fault.from_json({"kind": "goaway", "after_turns": 2, "mid_turn": True, "delay": 0.5})
    assert fault == Fault("goaway", after_turns=2, mid_turn=True, delay=0.5)


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "meltdown"},
        {"kind": "close", "extra": 1},
        {"kind": "close", "code": "1011"},
        {"kind": "close", "mid_turn": "yes"},
        {"after_turns": 1},
    ],
)
def test_a_malformed_fault_is_refused(data: dict[str, object]) -> None:
    with pytest.raises((ValueError, TypeError)):
        Fault.from_json(data)


def test_a_record_never_holds_the_key() -> None:
    record = SessionRecord(path="/ws")
    record.set_key("AIzaSecretKey")
    assert record.key_present and len(record.key_sha256 or "") == 12
    assert "AIzaSecretKey" not in json.dumps(record.to_json())
