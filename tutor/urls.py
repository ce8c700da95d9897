from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_page

from lessons.learner_views.home import landing
from tutor import app_shell, probes
from tutor.js_catalog import LanguageCatalog

urlpatterns = [
    path("", landing, name="landing"),
    # Answered by tutor.probes.ProbeMiddleware before any other middleware; named here so
    # they can be reversed and appear in the permission matrix.
    path("healthz", probes.healthz, name="healthz"),
    path("readyz", probes.readyz, name="readyz"),
    path("metrics", probes.metrics, name="metrics"),
    # The installable app (tutor/app_shell.py): the worker at the root, so its scope is the site.
    path("manifest.webmanifest", app_shell.manifest, name="manifest"),
    path("sw.js", app_shell.service_worker, name="service_worker"),
    path("offline/", app_shell.offline, name="offline"),
    # The interface's languages (accounts/language.py): the visitors' switcher posts to
    # set_language; page scripts read their strings from the catalog of the language in its
    # address (tutor/js_catalog.py), cached an hour.
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", cache_page(3600)(LanguageCatalog.as_view()), name="javascript-catalog"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("lessons.urls")),
    path("", include("tutor.conversation_urls")),
    path("learn/", include("lessons.learner_urls")),
    path("teach/", include("lessons.teacher_urls")),
    path("lti/", include("lessons.lti.urls")),
    path("admin/", admin.site.urls),
    path("ops/", include("tutor.ops_urls")),
]

# 400, 403 and 404 use Django's handlers with templates/400.html, 403.html, 404.html (and
# 403_csrf.html for a failed CSRF check); 500 has its own, which needs no database.
handler500 = "tutor.errors.server_error"
