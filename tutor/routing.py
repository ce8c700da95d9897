"""WebSocket routes."""

from __future__ import annotations

from django.urls import path

from tutor.conversation.consumer import ConversationConsumer
from tutor.conversation.teacher_consumer import TeacherLiveConsumer

websocket_urlpatterns = [
    path("ws/conversations/<uuid:pk>/", ConversationConsumer.as_asgi()),
    path("ws/assignments/<int:pk>/live/", TeacherLiveConsumer.as_asgi()),
]
