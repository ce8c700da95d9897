from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lessons.topic_library import load_builtin_topics


class Command(BaseCommand):
    help = "Load the built-in topic library (idempotent: safe to run on every start)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_builtin_topics()
        self.stdout.write(
            f"Topics: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
