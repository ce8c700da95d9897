"""WebSocket routes."""

from __future__ import annotations

from django.urls import path

from tutor.conversation.consumer import ConversationConsumer
from tutor.conversation.teacher_consumer import TeacherLiveConsumer
from tutor.group.consumer import GroupConsumer

websocket_urlpatterns = [
    path("ws/conversations/<uuid:pk>/", ConversationConsumer.as_asgi()),
    path("ws/assignments/<int:pk>/live/", TeacherLiveConsumer.as_asgi()),
    path("ws/groups/<uuid:pk>/", GroupConsumer.as_asgi()),
]
