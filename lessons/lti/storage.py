"""PyLTI1p3's launch data in the database, shared by every server process.

PyLTI1p3 keeps four things between requests: the nonce and state it issued at the OIDC login
initiation (checked at the launch), the id_token's hash for the state, and the launch's claims
(read again by the deep-linking picker on a later request). django-lti puts them in Django's
cache, which without a configured backend is each process's own memory: a login served by one
process and its launch by another was refused ("nonce not found"), and the picker on a third
could not find its launch. Here each value is a row that expires; `purge_expired` deletes what
has, and runs at every login initiation.

A launch's nonce is also kept once used (`LtiUsedNonce`, lessons/lti/views.py), in the same
database: a replayed id_token is refused whichever process it reaches.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from lti_tool.models import LtiLaunch
from lti_tool.utils import DjangoToolConfig
from pylti1p3.contrib.django.message_launch import DjangoMessageLaunch
from pylti1p3.launch_data_storage.cache import CacheDataStorage

from lessons.models import LtiLaunchValue

DEFAULT_LIFETIME = 86400  # seconds; PyLTI1p3 passes its own (a day) with every value


class DatabaseLaunchStorage(CacheDataStorage[Any]):
    """PyLTI1p3's storage interface on `LtiLaunchValue`. A subclass of its cache storage for
    that class's cookie rule: over plain HTTP (tests, a laptop) keys take no session-cookie
    prefix, since Chrome drops that cookie in a cross-site launch there."""

    def get_value(self, key: str) -> Any:
        row = (
            LtiLaunchValue.objects.filter(key=self._prepare_key(key), expires_at__gt=timezone.now())
            .values_list("value", flat=True)
            .first()
        )
        return row

    def set_value(self, key: str, value: Any, exp: int | None = None) -> None:
        lifetime = timedelta(seconds=exp or DEFAULT_LIFETIME)
        LtiLaunchValue.objects.update_or_create(
            key=self._prepare_key(key),
            defaults={"value": value, "expires_at": timezone.now() + lifetime},
        )

    def check_value(self, key: str) -> bool:
        return LtiLaunchValue.objects.filter(
            key=self._prepare_key(key), expires_at__gt=timezone.now()
        ).exists()


def purge_expired() -> int:
    """Delete the values past their expiry; how many went."""
    deleted, _ = LtiLaunchValue.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def launch_from_request(request: HttpRequest, launch_id: str | None = None) -> LtiLaunch:
    """`lti_tool.utils.get_launch_from_request` on the database storage: the launch in the
    request, validated, or with `launch_id` the one kept from an earlier request."""
    tool_conf = DjangoToolConfig()
    storage = DatabaseLaunchStorage()
    if launch_id is not None:
        message_launch = DjangoMessageLaunch.from_cache(
            launch_id, request, tool_conf, launch_data_storage=storage
        )
    else:
        message_launch = DjangoMessageLaunch(request, tool_conf, launch_data_storage=storage)
        message_launch.validate()
    return LtiLaunch(message_launch)
