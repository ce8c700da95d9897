"""The learner's data as downloads: everything, as JSON or as a zip of CSV files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.requests import AuthedRequest
from lessons.selectors.export import learner_export_csv_zip, learner_export_json


def _download(body: bytes, content_type: str, extension: str) -> HttpResponse:
    name = f"tertulia-export-{timezone.localdate():%Y-%m-%d}.{extension}"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
@never_cache
def export_json_view(request: AuthedRequest) -> HttpResponse:
    body = learner_export_json(request.user)
    return _download(body, "application/json; charset=utf-8", "json")


@login_required
@require_GET
@never_cache
def export_csv_view(request: AuthedRequest) -> HttpResponse:
    return _download(learner_export_csv_zip(request.user), "application/zip", "zip")
