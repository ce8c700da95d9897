from __future__ import annotations

from django.urls import path

from lessons import views

app_name = "lessons"
urlpatterns = [
    path("home/", views.home, name="home"),
]
