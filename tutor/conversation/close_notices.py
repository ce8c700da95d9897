"""What the conversation page tells the learner when its socket closes, by close code.

The page gets this table in its config (`tutor.views.conversation_page`, through
`json_script`) and holds no close code of its own. The codes are `tutor.conversation.protocol`'s;
docs/ARCHITECTURE.md ("Close codes") says when each is sent.
"""

from __future__ import annotations

from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from tutor.conversation import protocol as p

# The page's own key for a socket that dropped and could not come back within the grace period
# (or closed with a code not listed here).
DROPPED = "dropped"

Act = Literal["review", "reload", "reconnect", "login", "home"]

# The texts are lazy: the page's config is rendered (json_script) in the learner's language.
Text = str | Promise
SEE_HOW: tuple[Text, Act] = (_("See how it went"), "review")
RECONNECT: tuple[Text, Act] = (_("Reconnect"), "reconnect")
SNAG = _("The connection hit a snag and was closed.")
ENDED = _("This conversation has ended.")


def _notice(
    state: str,
    tone: str,
    text: Text,
    *actions: tuple[Text, Act],
    final: bool,
    **extra: bool,
) -> dict[str, Any]:
    """`final`: stop the microphone and the socket for good. The first action is the primary one.
    `trialInvite`: on a trial, show the sign-up invitation instead. `afterError`: put the last
    `error` event's message before the text."""
    ways = [
        {"label": label, "act": act, "primary": i == 0} for i, (label, act) in enumerate(actions)
    ]
    return {"state": state, "tone": tone, "final": final, "text": text, "actions": ways, **extra}


_BY_CODE = {
    p.CLOSE_NORMAL: _notice("ended", "info", ENDED, SEE_HOW, final=True),
    p.CLOSE_BAD_FRAME: _notice("closed", "error", SNAG, RECONNECT, final=False),
    p.CLOSE_NOT_SIGNED_IN: _notice(
        "closed",
        "error",
        _("You've been signed out. Sign in again to carry on."),
        (_("Sign in"), "login"),
        final=True,
    ),
    p.CLOSE_NOT_YOURS: _notice(
        "closed",
        "error",
        _("This conversation isn't available to you."),
        (_("Go home"), "home"),
        final=True,
    ),
    p.CLOSE_TRIAL_OVER: _notice(
        "ended",
        "info",
        _("That's the longest a conversation can run. Start a new one to keep practising."),
        SEE_HOW,
        final=True,
        trialInvite=True,
    ),
    p.CLOSE_REPLACED: _notice(
        "closed",
        "info",
        _("This conversation is open in another tab or window."),
        (_("Continue here"), "reconnect"),
        final=False,
    ),
    p.CLOSE_GONE: _notice("ended", "info", ENDED, SEE_HOW, final=True),
    p.CLOSE_TOO_LARGE: _notice("closed", "error", SNAG, RECONNECT, final=False),
    p.CLOSE_TOO_MANY: _notice(
        "closed",
        "error",
        _("Too much audio arrived at once, so the connection was closed."),
        RECONNECT,
        final=False,
    ),
    p.CLOSE_TUTOR_UNAVAILABLE: _notice(
        "unavailable",
        "error",
        _("The tutor is unavailable right now. Your transcript is saved — try again in a minute."),
        (_("Try again"), "reload"),
        SEE_HOW,
        final=True,
        afterError=True,
    ),
}
_DROPPED = _notice(
    "closed",
    "error",
    _("We couldn't reconnect. Check your connection, then reload to pick up where you left off."),
    (pgettext_lazy("button that reloads the page", "Reload"), "reload"),
    final=True,
)
# Close code (as a string, as JSON keys are) or DROPPED -> the notice the page shows.
CLOSE_NOTICES: dict[str, dict[str, Any]] = {
    **{str(code): notice for code, notice in _BY_CODE.items()},
    DROPPED: _DROPPED,
}

# A spoken placement's page (tutor.placement): its end leads to the level, not a review.
# In English (marked for the catalog): it is also the time limit's frame message, which the
# runtime translates when it sends it.
PLACEMENT_OVER = gettext_noop("Time's up: that's the whole placement. See the level it suggests.")
SEE_LEVEL: tuple[Text, Act] = (_("See my level"), "review")
PLACEMENT_NOTICES: dict[str, dict[str, Any]] = {
    **CLOSE_NOTICES,
    str(p.CLOSE_NORMAL): _notice("ended", "info", ENDED, SEE_LEVEL, final=True),
    str(p.CLOSE_GONE): _notice("ended", "info", ENDED, SEE_LEVEL, final=True),
    str(p.CLOSE_TRIAL_OVER): _notice("ended", "info", _(PLACEMENT_OVER), SEE_LEVEL, final=True),
}
