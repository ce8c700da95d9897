"""What the Django-free packages tell the learner, in the learner's language.

`tutor/live/` and `tutor/audio/` import no Django, so they mark their sentences with a no-op
`gettext_noop` (which `makemessages` collects) and the pages translate them here. A Gemini
failure reaches the learner as our sentence for its kind (`tutor.live.texts.failure_text`),
never as the service's own words, which are only logged."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from tutor.audio.clip import ClipError
from tutor.audio.frames import Problem
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


# A frame the socket refused (`tutor.audio.frames.FrameError.problem`): what the learner reads.
# The refusal's own words name the protocol's rule; they go out as `detail`, for developers.
_FRAME_PROBLEMS: dict[Problem, Promise] = {
    "too_fast": gettext_lazy("Too much audio arrived at once, so the connection was closed."),
    "too_large": gettext_lazy("That message was too large to send."),
    "malformed": gettext_lazy(
        "Your page sent something we couldn't read. Reload the page to go on."
    ),
}


def frame_problem_text(problem: Problem) -> Promise:
    """Lazy, like `error_text`: it leaves in the socket's own language."""
    return _FRAME_PROBLEMS[problem]
