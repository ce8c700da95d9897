"""WebSocket routes (the conversation consumer is added with the conversation server)."""

from __future__ import annotations

from django.urls import URLPattern

websocket_urlpatterns: list[URLPattern] = []
