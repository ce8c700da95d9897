from __future__ import annotations

from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("welcome/", views.onboarding, name="onboarding"),
    path("me/", views.profile, name="profile"),
    path("me/delete/", views.delete_account, name="delete"),
]
