"""Which language the interface speaks to a visitor: the one rule for pages and sockets.

A signed-in user: their native language, when the site has a catalog for it. Anyone else (a
visitor, an anonymous trial) or a user whose native language the site does not speak: the
switcher's cookie, else the browser's Accept-Language, else LANGUAGE_CODE.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def choose(user: Any, cookies: Mapping[str, str], accept_language: str) -> str:
    if user is not None and getattr(user, "is_authenticated", False):
        # Exact codes only: a native "pt" is Portuguese; the model's codes are plain ISO 639-1.
        native = getattr(user, "native_language", "")
        if native in dict(settings.LANGUAGES):
            return str(native)
    chosen = _supported(cookies.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    for code, _quality in parse_accept_lang_header(accept_language):
        if code == "*":
            break
        chosen = _supported(code)
        if chosen:
            return chosen
    return str(settings.LANGUAGE_CODE)


def for_request(request: Any) -> str:
    return choose(
        getattr(request, "user", None),
        request.COOKIES,
        request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
    )


def for_scope(scope: Mapping[str, Any]) -> str:
    """A Channels scope's visitor (AuthMiddlewareStack has resolved "user" and "cookies")."""
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    return choose(scope.get("user"), scope.get("cookies") or {}, accept)


def follow(request: Any) -> None:
    """After a user's native language changed (onboarding, profile): the rest of this request,
    its flash message included, speaks the new one, as the next page will."""
    language = for_request(request)
    translation.activate(language)
    request.LANGUAGE_CODE = language
