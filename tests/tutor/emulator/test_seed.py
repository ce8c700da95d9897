"""The emulator's seed: --seed, else EMULATOR_SEED (a whole test run under one seed), else 0
for emulators made in tests and a fresh one (printed) for `python -m tutor.emulator`."""

from __future__ import annotations

import argparse

import pytest

from tutor.emulator.behaviour import Behaviour
from tutor.emulator.cli import add_arguments, behaviour_from


def _cli(*argv: str) -> Behaviour:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return behaviour_from(parser.parse_args(list(argv)))


def test_a_test_emulator_uses_emulator_seed_or_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EMULATOR_SEED", raising=False)
    assert Behaviour().seed == 0
    monkeypatch.setenv("EMULATOR_SEED", "2024")
    assert Behaviour().seed == 2024
    assert Behaviour(seed=7).seed == 7


def test_the_command_line_seed_wins_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMULATOR_SEED", "11")
    assert _cli("--seed", "5").seed == 5
    assert _cli().seed == 11
    monkeypatch.delenv("EMULATOR_SEED")
    assert {_cli().seed for _ in range(5)} != {0}  # a new seed each start


def test_a_malformed_seed_stops_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMULATOR_SEED", "abc")
    with pytest.raises(SystemExit, match="EMULATOR_SEED must be a whole number"):
        Behaviour()
