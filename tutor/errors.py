"""The 500 handler. The page is rendered without the request, so no context processor, session or
database query runs: whatever failed (PostgreSQL, a template tag) cannot fail it again."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# The last resort, if even the template cannot be rendered (e.g. a static file missing from the
# manifest). Its words come from the catalog files, which need no database either.
BARE_500 = (
    "<!DOCTYPE html><html lang='{lang}'><meta charset='utf-8'><title>{title}</title>"
    "<h1>{heading}</h1><p><a href='/'>{start}</a></p></html>"
)


def server_error(request: HttpRequest) -> HttpResponseServerError:
    body: str
    # No context processor runs, so the page is told its language here.
    language = get_language() or settings.LANGUAGE_CODE
    try:
        context = {"SITE_NAME": settings.SITE_NAME, "LANGUAGE_CODE": language}
        body = render_to_string("500.html", context)
    except Exception:
        logger.exception("the 500 page itself failed to render")
        body = format_html(
            BARE_500,
            lang=language,
            title=_("Server error"),
            heading=_("Something went wrong on our side"),
            start=_("Go to the start page"),
        )
    return HttpResponseServerError(body)
