"""End conversations left `active` with nobody behind them (lessons.services.sweep): a server
process that died, or a page that never started.

Safe to run at any time, on any host: a conversation whose runtime is alive in some process
has a recent heartbeat and is left alone. Servers also sweep as they start and every
SWEEP_EVERY_SECONDS.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lessons.services.sweep import conversations_sweep, stale_after


class Command(BaseCommand):
    help = "Finish conversations still active with no sign of life (interrupted or abandoned)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list them, end nothing")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        # This process serves no conversations, so it has no live runtimes to spare.
        report = conversations_sweep(dry_run=dry_run)
        verb = "Would end" if dry_run else "Ended"
        seconds = int(stale_after().total_seconds())
        self.stdout.write(
            f"{verb} {len(report.ended)} conversation(s) left active with no sign of life "
            f"for over {seconds} s"
        )
        for pk in report.ended:
            self.stdout.write(f"  {pk}")
