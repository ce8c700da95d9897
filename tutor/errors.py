"""The 500 handler. The page is rendered without the request, so no context processor, session or
database query runs: whatever failed (PostgreSQL, a template tag) cannot fail it again."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponseServerError
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# The last resort, if even the template cannot be rendered (e.g. a static file missing from the
# manifest).
BARE_500 = (
    "<!DOCTYPE html><html lang='en'><meta charset='utf-8'><title>Server error</title>"
    "<h1>Something went wrong on our side</h1><p><a href='/'>Go to the start page</a></p></html>"
)


def server_error(request: HttpRequest) -> HttpResponseServerError:
    body: str
    try:
        body = render_to_string("500.html", {"SITE_NAME": settings.SITE_NAME})
    except Exception:
        logger.exception("the 500 page itself failed to render")
        body = BARE_500
    return HttpResponseServerError(body)
