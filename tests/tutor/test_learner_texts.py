"""tutor/learner_texts.py: what the Django-free packages tell the learner, said by the page.
The English is the msgid, so with English active the page shows exactly the package's words;
a Gemini failure is told by its kind, never in the service's words."""

from __future__ import annotations

import pytest
from django.utils import translation

from tutor.audio.clip import TOO_LONG, ClipError, read_clip
from tutor.learner_texts import clip_text, unavailable_text
from tutor.live.text_reply import UNAVAILABLE, TutorUnavailable
from tutor.live.texts import QUOTA


def test_a_clip_error_keeps_its_sentence_and_values_apart() -> None:
    error = ClipError(TOO_LONG, seconds="15")
    assert error.template == TOO_LONG and error.params == {"seconds": "15"}
    assert str(error) == "That recording is too long. Keep your answer under 15 s."
    with translation.override("en"):
        assert clip_text(error) == str(error)


def test_an_unreadable_recording_is_told_in_the_pages_words() -> None:
    with pytest.raises(ClipError) as caught:
        read_clip(b"not a wav file")
    with translation.override("en"):
        assert clip_text(caught.value) == (
            "That recording is not a WAV file that can be read (16-bit PCM)."
        )


def test_the_tutors_unavailability_is_shown_as_marked_and_a_quota_by_its_kind() -> None:
    with translation.override("en"):
        assert unavailable_text(TutorUnavailable(UNAVAILABLE)) == UNAVAILABLE
        reason = "Gemini quota exhausted (HTTP 429)."
        assert unavailable_text(TutorUnavailable(reason, "upstream_quota")) == QUOTA
