"""Request types for views behind `login_required` (so `request.user` is a `User`)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
