"""Send signed-in users who have not chosen their languages yet to onboarding; choose the
interface language."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from accounts import language

# Paths a not-yet-onboarded user may still reach (sign out, static files, the API of a page).
_EXEMPT_PREFIXES: tuple[str, ...] = ("/accounts/", "/welcome/", "/static/", "/admin/", "/ws/")
_EXEMPT_PREFIXES += ("/healthz",)
# The installable app's files (tutor/app_shell.py): a worker script may not be redirected.
_EXEMPT_PREFIXES += ("/manifest.webmanifest", "/sw.js", "/offline/")
# The JavaScript catalog is a script every page loads first, onboarding's own pages included.
_EXEMPT_PREFIXES += ("/jsi18n/",)


class OnboardingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.onboarded
            and request.method == "GET"
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            # Keep where they were going (e.g. a classroom join link) for after onboarding;
            # not the page every sign-in lands on, which onboarding chooses by role.
            target = reverse("accounts:onboarding")
            if request.path == resolve_url(settings.LOGIN_REDIRECT_URL):
                return redirect(target)
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class InterfaceLanguageMiddleware:
    """After LocaleMiddleware and authentication: the interface language by accounts.language,
    which puts a signed-in user's native language before the cookie and the browser's wish.
    LocaleMiddleware's response half then sets Content-Language and Vary from it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = language.for_request(request)
        request.LANGUAGE_CODE = chosen
        # Scoped, not left active: a thread serves other work after the request (a worker of
        # sync_to_async, a test), which must not go on in this visitor's language.
        with translation.override(chosen):
            response = self.get_response(request)
            # Named here, while it is active (LocaleMiddleware's setdefault keeps it).
            response.headers.setdefault("Content-Language", translation.get_language())
        # The page depends on who is signed in (LocaleMiddleware adds Accept-Language).
        patch_vary_headers(response, ("Cookie",))
        return response
