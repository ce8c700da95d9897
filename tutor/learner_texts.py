"""What the Django-free packages tell the learner, in the learner's language.

`tutor/live/` and `tutor/audio/` import no Django, so they mark their sentences with a no-op
`gettext_noop` (which `makemessages` collects) and the pages translate them here. A Gemini
failure reaches the learner as our sentence for its kind (`tutor.live.texts.failure_text`),
never as the service's own words, which are only logged."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from tutor.audio.clip import ClipError
from tutor.live.text_reply import TutorUnavailable
from tutor.live.texts import LIVE_UNAVAILABLE, failure_text


def unavailable_text(exc: TutorUnavailable) -> str:
    return gettext(failure_text(exc.code, str(exc)))


def error_text(code: str) -> Promise:
    """The Live session's error frame for a failure of this kind, chosen by its code alone (the
    event's message is not trusted to be ours). Lazy: a room's frame leaves in each member's
    language (the sockets serialize under it)."""
    return gettext_lazy(failure_text(code, LIVE_UNAVAILABLE))


def clip_text(exc: ClipError) -> str:
    return gettext(exc.template) % exc.params
