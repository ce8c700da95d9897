from __future__ import annotations

from typing import Any, NamedTuple
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


class Site(NamedTuple):
    """What allauth's mail templates read as `current_site`."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return reverse("accounts:onboarding")

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Teachers start on their teaching page, learners on their practice page."""
        if getattr(request.user, "is_teacher", False):
            return reverse("teach:dashboard")
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every mail names the site by SITE_NAME (not the host it was reached at) and links
        to SITE_URL when it is set."""
        site_url = settings.SITE_URL or _origin(self.request)
        links = {
            key: rebase(value, site_url)
            for key, value in context.items()
            if key.endswith("_url") and isinstance(value, str)
        }
        context = {
            **context,
            **links,
            # Only the mail's own `user`: the template's `user` may be whoever is signed in.
            "recipient_name": getattr(context.get("user"), "display_name", ""),
            "site_name": settings.SITE_NAME,
            "site_url": site_url,
            "current_site": Site(settings.SITE_NAME, urlsplit(site_url).netloc),
        }
        super().send_mail(template_prefix, email, context)


def _origin(request: HttpRequest | None) -> str:
    return request.build_absolute_uri("/").rstrip("/") if request is not None else ""


def rebase(url: str, site_url: str) -> str:
    """An absolute link moved onto the site's own address (path and query kept)."""
    parts = urlsplit(url)
    if not site_url or not parts.scheme:
        return url
    return site_url + parts.path + (f"?{parts.query}" if parts.query else "")
