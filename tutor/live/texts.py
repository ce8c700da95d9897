"""Sentences this Django-free package hands to the pages for the learner to read.

`gettext_noop` only marks a sentence, so that `makemessages` (which looks for calls by this
name) puts it in the catalog; the page that shows it translates it where Django is
(`tutor/learner_texts.py`)."""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    return message


# What a learner reads when Gemini fails, by the kind of failure (`tutor.live.config.classify`'s
# codes). Gemini's own wording (English, and about API keys, billing and request fields) is only
# logged: the learner always gets one of these, or the caller's own "not right now" sentence.
QUOTA = gettext_noop("The tutor has reached its usage limit for now. Try again later.")
NOT_SET_UP = gettext_noop(
    "The tutor isn't set up correctly on this site. Please tell your teacher or the site's team."
)
REFUSED = gettext_noop("The tutor couldn't handle this request. Try again in a moment.")
# A Live session that could not be kept up (its retries spent): the socket's error frame; the
# page puts its close notice ("… try again in a minute") after it.
LIVE_UNAVAILABLE = gettext_noop("The tutor could not be reached.")

_BY_CODE = {"upstream_quota": QUOTA, "upstream_auth": NOT_SET_UP, "upstream_config": REFUSED}


def failure_text(code: str, otherwise: str) -> str:
    """The marked sentence for a failure of this kind; `otherwise` for a passing one (a timeout,
    a 5xx, a dropped connection), where the caller says what could not be done right now."""
    return _BY_CODE.get(code, otherwise)
