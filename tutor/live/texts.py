"""Sentences this Django-free package hands to the pages for the learner to read.

`gettext_noop` only marks a sentence, so that `makemessages` (which looks for calls by this
name) puts it in the catalog; the page that shows it translates it where Django is
(`tutor/learner_texts.py`)."""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    return message
