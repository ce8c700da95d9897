"""WebSocket routes."""

from __future__ import annotations

from django.urls import path

from tutor.consumers import ConversationConsumer

websocket_urlpatterns = [
    path("ws/conversations/<uuid:pk>/", ConversationConsumer.as_asgi()),
]
