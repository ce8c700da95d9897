"""The note that tells a fresh Live session where an interrupted conversation stands.

Used when there is no resumable server-side session: the process restarted, or the handle was
refused (1011 while its connection was still held), expired, or never came (docs/gemini-live.md
§4.4). The fresh session gets the transcript and is told not to greet again.
"""

from __future__ import annotations

from collections.abc import Sequence

CONTINUATION = (
    "\n\nThis conversation is already under way: the connection was restored after an "
    "interruption. Do not greet the learner or introduce yourself or the scenario again; "
    "carry on naturally from the last line. The conversation so far:\n{transcript}"
)
CONTINUATION_TURNS = 30  # the most recent turns a restored session is given


def continuation(history: Sequence[tuple[str, str]]) -> str:
    lines = [f"{'Tutor' if speaker == 'tutor' else 'Learner'}: {text}" for speaker, text in history]
    return CONTINUATION.format(transcript="\n".join(lines[-CONTINUATION_TURNS:]))
