"""Delete learner audio, transcripts and unclaimed trials past their retention periods, and
clear IP addresses the abuse limits no longer need. Run it daily (cron, a systemd timer)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from lessons.services.retention import retention_enforce


class Command(BaseCommand):
    help = "Delete what is past its retention period (see docs/SECURITY.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        report = retention_enforce(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        days = settings.TRANSCRIPT_RETENTION_DAYS
        kept = f"older than {days} days" if days else "none: kept until their learner deletes them"
        self.stdout.write(
            f"{verb} {report.audio} learner audio recording(s) "
            f"(older than {settings.AUDIO_RETENTION_DAYS} days)\n"
            f"{verb} {report.transcripts} conversation transcript(s) ({kept})\n"
            f"{verb} {report.trials} unclaimed trial(s) "
            f"(older than {settings.TRIAL_RETENTION_DAYS} days)\n"
            f"{'Would clear' if dry_run else 'Cleared'} the IP address of "
            f"{report.addresses} conversation(s) and {report.drill_addresses} spoken drill "
            "answer(s)\n"
            f"{'Would clear' if dry_run else 'Cleared'} the IP address of "
            f"{report.hint_addresses} hint request(s)\n"
            f"{'Would clear' if dry_run else 'Cleared'} the IP address of "
            f"{report.word_addresses} word lookup(s)"
        )
