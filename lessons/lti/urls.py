"""LTI 1.3 endpoints under /lti/ (docs/lti.md gives the platform these URLs)."""

from __future__ import annotations

from django.urls import path

from lessons.lti import views

app_name = "lti"
urlpatterns = [
    path("jwks/", views.jwks, name="jwks"),
    path("<uuid:registration_uuid>/login/", views.LoginView.as_view(), name="login"),
    path("launch/", views.LaunchView.as_view(), name="launch"),
    path("pick/", views.pick, name="pick"),
    path("activities/<int:pk>/", views.start_page, name="start"),
]
