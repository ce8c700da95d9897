from __future__ import annotations

from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "lessons"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lessons import signals  # noqa: F401  (connects the sign-up receivers)
