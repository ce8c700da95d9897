from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Values every template may need. Never add the Gemini key or anything derived from it."""
    return {
        "DEMO_TUTOR": settings.DEMO_TUTOR,
        "TRIAL_SECONDS": settings.TRIAL_SECONDS,
        "SITE_NAME": settings.SITE_NAME,
    }
