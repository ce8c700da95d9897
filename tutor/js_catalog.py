"""The page scripts' translations: Django's JavaScriptCatalog for the language in the address.

base.html asks for `/jsi18n/?lang=<the page's language>`, so the response depends on the
address alone: one cached copy per language (cache_page), whoever asks, and a page in another
language never finds a stale catalog in the browser's cache. Without a known `lang`, the
request's own language (accounts/language.py) is served.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import JavaScriptCatalog


class LanguageCatalog(JavaScriptCatalog):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        code = request.GET.get("lang", "")
        if code not in dict(settings.LANGUAGES):
            return super().get(request, *args, **kwargs)
        with translation.override(code):
            response = super().get(request, *args, **kwargs)
        response["Content-Language"] = code  # LocaleMiddleware only sets it when unset
        return response
