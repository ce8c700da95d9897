"""The installable web app: the manifest, the service worker and the offline page.

The service worker is served from the site root (its scope is the whole site) by a view,
because a script under /static/ may only control /static/. It caches static files and the
offline page, nothing else: pages carry conversations, transcripts and cards, which must never
sit in a phone's cache. Its cache is named after a hash of the static files, so a deploy that
changes any of them installs a new worker and drops the old cache.

The manifest speaks the interface language (its description, `lang`, `dir`). base.html links it
as `/manifest.webmanifest?lang=<the page's language>`, like the JavaScript catalog: the address
alone says the language, so the browser's cache (an hour) never hands one language's manifest to
a page in another, and the worker leaves it alone (it is not a static file). Asked without a
known `lang`, it answers in the request's own language (accounts/language.py), varies on what
chose it and is not cached.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# Colours the manifest takes from the stylesheet's light palette (its first :root block).
STYLESHEET = "css/site.css"
# What the offline page needs besides itself, fetched when the worker installs.
OFFLINE_ASSETS = (STYLESHEET, "img/favicon.svg", "img/icons/icon-192.png")
ICONS = (
    ("img/icons/icon-192.png", "192x192", "any"),
    ("img/icons/icon-512.png", "512x512", "any"),
    ("img/icons/maskable-192.png", "192x192", "maskable"),
    ("img/icons/maskable-512.png", "512x512", "maskable"),
)
SHORT_NAME_MAX = 12  # what fits under an icon on a phone's home screen


def current_version() -> str:
    """The static files' version; under DEBUG read afresh, since a developer edits them
    without restarting (and the worker would otherwise keep serving the old ones)."""
    if settings.DEBUG:
        static_version.cache_clear()
    return static_version()


@functools.cache
def static_version() -> str:
    """A hash of every static file's path and bytes: it changes with any of them."""
    digest = hashlib.sha256()
    found: dict[str, Path] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            found.setdefault(path, Path(storage.path(path)))  # the first finder wins, as served
    for path in sorted(found):
        digest.update(path.encode() + b"\0" + found[path].read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@functools.cache
def palette() -> dict[str, str]:
    """The stylesheet's light colours, by custom property name (without the dashes)."""
    located = finders.find(STYLESHEET)
    css = Path(str(located)).read_text(encoding="utf-8")
    root = css[css.index(":root") : css.index("}", css.index(":root"))]
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,8})\s*;", root))


def short_name(name: str) -> str:
    if len(name) <= SHORT_NAME_MAX:
        return name
    return name[:SHORT_NAME_MAX].rsplit(" ", 1)[0].strip() or name[:SHORT_NAME_MAX]


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    code = request.GET.get("lang", "")
    if code in dict(settings.LANGUAGES):
        with translation.override(code):
            response = _manifest(code)
        patch_cache_control(response, max_age=3600)
    else:
        response = _manifest(translation.get_language())
        # The language came from the cookie, the session's user or Accept-Language.
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        patch_cache_control(response, private=True, no_cache=True)
    return response


def _manifest(code: str) -> JsonResponse:
    colours = palette()
    data = {
        "id": "/",
        # The site's name is a proper name: the same in every language, and so its short name.
        "name": settings.SITE_NAME,
        "short_name": short_name(settings.SITE_NAME),
        "description": gettext("Practise speaking a language with a real-time voice tutor."),
        "lang": code,
        "dir": "rtl" if translation.get_language_bidi() else "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": colours["bg"],
        "theme_color": colours["brand"],
        "categories": ["education"],
        "icons": [
            {"src": static(src), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for src, sizes, purpose in ICONS
        ],
    }
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Content-Language"] = code  # LocaleMiddleware only sets it when unset
    return response


@require_safe
@cache_control(no_cache=True)  # the browser checks for a new worker on every visit
def service_worker(request: HttpRequest) -> HttpResponse:
    offline = reverse("offline")
    config = {
        "version": current_version(),
        "staticPrefix": settings.STATIC_URL,  # the prefix, never a file (no hashed name)
        "offline": offline,
        "precache": [offline, *(static(path) for path in OFFLINE_ASSETS)],
    }
    body = render_to_string("app_shell/service-worker.js", {"config": json.dumps(config)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """Rendered without the request on purpose: the worker keeps this page, so it must carry
    nobody's name, messages or CSRF token, whoever happened to be signed in when it was fetched."""
    body = render_to_string(
        "app_shell/offline.html",
        {"SITE_NAME": settings.SITE_NAME, "DEMO_TUTOR": settings.DEMO_TUTOR},
    )
    return HttpResponse(body)
