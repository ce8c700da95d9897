"""The live caption of each speaker's line in flight, as the page shows it.

Partial transcripts from the bridge carry one new fragment each (`tutor.live.turns`). The
server joins them by the rule that joins the stored line (`join_fragments`: fragments may or
may not carry their spaces, CJK takes none), and each partial event carries the caption so
far, so the page replaces its draft text and never joins words itself.
"""

from __future__ import annotations

from tutor.live.events import Speaker, Transcript
from tutor.live.turns import join_fragments


class Captions:
    def __init__(self) -> None:
        self._fragments: dict[Speaker, list[str]] = {"learner": [], "tutor": []}
        self._learner_line: int | None = None

    def grow(self, event: Transcript) -> str:
        """A partial transcript's fragment added to its speaker's caption: the caption so far."""
        fragments = self._fragments[event.speaker]
        if event.speaker == "learner" and event.line != self._learner_line:
            fragments.clear()  # a new utterance: a new caption
            self._learner_line = event.line
        fragments.append(event.text)
        return join_fragments(fragments)

    def settle(self, speaker: Speaker) -> None:
        """The speaker's line is final (or was dropped): the next fragment starts afresh."""
        self._fragments[speaker].clear()
