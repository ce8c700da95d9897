"""WebSocket routes."""

from __future__ import annotations

from django.urls import path

from tutor.consumers import ConversationConsumer
from tutor.consumers_teacher import TeacherLiveConsumer

websocket_urlpatterns = [
    path("ws/conversations/<uuid:pk>/", ConversationConsumer.as_asgi()),
    path("ws/assignments/<int:pk>/live/", TeacherLiveConsumer.as_asgi()),
]
