from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return reverse("accounts:onboarding")
