"""`python -m tutor.emulator --port 8765`: the emulator without Django."""

from __future__ import annotations

from tutor.emulator.cli import main

main()
