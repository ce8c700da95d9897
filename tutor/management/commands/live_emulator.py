"""`manage.py live_emulator`: run the local Gemini Live emulator in the foreground."""

from __future__ import annotations

import asyncio
import logging
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from tutor.emulator.cli import add_arguments, behaviour_from, serve


class Command(BaseCommand):
    help = (
        "Serve the offline Gemini Live emulator; prints GOOGLE_GEMINI_BASE_URL and SSL_CERT_FILE."
    )
    requires_system_checks: list[str] = []  # needs neither models nor the database

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        logging.basicConfig(level=logging.WARNING)
        coro = serve(
            options["host"],
            options["port"],
            options["pace"],
            options["workdir"],
            self.stdout,
            behaviour_from(options),
        )
        asyncio.run(coro)
