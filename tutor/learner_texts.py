"""What the Django-free packages tell the learner, in the learner's language.

`tutor/live/` and `tutor/audio/` import no Django, so they mark their sentences with a no-op
`gettext_noop` (which `makemessages` collects) and the pages translate them here. A sentence
that was never marked (a failure classified from Gemini's own answer) is shown as it is."""

from __future__ import annotations

from django.utils.translation import gettext

from tutor.audio.clip import ClipError
from tutor.live.text_reply import TutorUnavailable


def unavailable_text(exc: TutorUnavailable) -> str:
    return gettext(str(exc))


def clip_text(exc: ClipError) -> str:
    return gettext(exc.template) % exc.params
