from __future__ import annotations

from django.urls import path

from lessons.learner_views import home

app_name = "lessons"
urlpatterns = [
    path("home/", home.home, name="home"),
]
