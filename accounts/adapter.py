from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return reverse("accounts:onboarding")

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Teachers start on their teaching page, learners on their practice page."""
        if getattr(request.user, "is_teacher", False):
            return reverse("teach:dashboard")
        return super().get_login_redirect_url(request)
