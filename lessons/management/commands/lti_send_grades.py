"""Send again the scores a learning platform did not take (lessons/lti/grades.py): run it from
cron next to enforce_retention, or by hand after a platform's outage."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lessons.lti.grades import send
from lessons.models import LtiGrade


class Command(BaseCommand):
    help = "Send the LTI scores that failed (or never left) to their platforms' gradebooks."

    def handle(self, *args: Any, **options: Any) -> None:
        waiting = LtiGrade.objects.exclude(status=LtiGrade.Status.SENT).select_related(
            "activity__assignment", "activity__course__context__deployment__registration"
        )
        sent = failed = 0
        for grade in waiting:
            if send(grade):
                sent += 1
            else:
                failed += 1
        self.stdout.write(f"Sent {sent} score(s); {failed} still failing.")
