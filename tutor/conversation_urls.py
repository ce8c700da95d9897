from __future__ import annotations

from django.urls import path

from tutor import views

app_name = "tutor"
urlpatterns = [
    path("conversations/start/", views.start, name="start"),
    path("try/", views.trial, name="trial"),
    path("conversations/<uuid:pk>/", views.conversation_page, name="conversation"),
    path("conversations/<uuid:pk>/messages/", views.message, name="message"),
    path("conversations/<uuid:pk>/end/", views.end, name="end"),
]
