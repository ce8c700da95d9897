"""The admin's LTI registration page (django-lti's), with the tool's URLs for this
registration shown on it: what the administrator gives the platform (docs/lti.md)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from lti_tool.admin import LtiRegistrationAdmin
from lti_tool.models import LtiRegistration

admin.site.unregister(LtiRegistration)


@admin.register(LtiRegistration)
class RegistrationAdmin(LtiRegistrationAdmin):
    readonly_fields = ["tool_urls"]
    fieldsets = [
        *LtiRegistrationAdmin.fieldsets,
        ("Give the platform these URLs", {"fields": ["tool_urls"]}),
    ]

    @admin.display(description="Tertulia's side")
    def tool_urls(self, registration: LtiRegistration) -> str:
        if registration.pk is None:
            return "Save the registration first: its login URL names it."
        site = settings.SITE_URL.rstrip("/")
        rows = [
            ("OIDC login initiation", reverse("lti:login", args=[registration.uuid])),
            ("Redirect URI, target link and deep linking", reverse("lti:launch")),
            ("Public keyset (JWKS)", reverse("lti:jwks")),
        ]
        return format_html(
            "<dl>{}</dl>",
            format_html_join(
                "", "<dt>{}</dt><dd><code>{}{}</code></dd>", ((n, site, u) for n, u in rows)
            ),
        )
