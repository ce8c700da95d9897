"""The operator page (staff only): mounted at /ops/ by tutor/urls.py."""

from __future__ import annotations

from django.urls import URLPattern, path

from tutor import ops

app_name = "ops"
urlpatterns: list[URLPattern] = [
    path("", ops.dashboard, name="dashboard"),
]
