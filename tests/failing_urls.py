"""The site's URLconf plus one view that fails, for tests/test_error_pages.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from tutor.urls import handler500
from tutor.urls import urlpatterns as site_patterns


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [*site_patterns, path("fail/", fail)]
__all__ = ["handler500", "urlpatterns"]
