"""Where help was needed: the hints of a conversation, each on the learner turn that followed
it, for the review page and the teacher's transcript. A hint asked at a point belongs to the
first learner turn stored at or after it; when several were asked before one turn, the last
shown counts. The suggestion the turn says (by the target-phrase rule, so a spoken line with
transcription noise still counts) is worked out here, when it is read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from lessons.models import Hint, Turn
from lessons.text.phrase_match import PhraseMatcher


@dataclass(frozen=True)
class HintUse:
    suggestions: list[dict[str, str]]  # {"text", "gloss"}, as shown
    chosen: int | None  # the one put in the typing box, if any
    said: int | None  # the one the turn says, if any

    @property
    def said_text(self) -> str:
        return self.suggestions[self.said]["text"] if self.said is not None else ""


def hints_by_turn(conversation_id: UUID, turns: Iterable[Turn]) -> dict[int, HintUse]:
    """Learner turn ordinal -> the hint shown before it."""
    learner = sorted(
        (t for t in turns if t.speaker == Turn.Speaker.LEARNER), key=lambda t: t.ordinal
    )
    found: dict[int, HintUse] = {}
    shown = Hint.objects.filter(conversation_id=conversation_id).exclude(suggestions=[])
    for hint in shown.order_by("next_ordinal"):
        turn = next((t for t in learner if t.ordinal >= hint.next_ordinal), None)
        if turn is not None:
            found[turn.ordinal] = HintUse(hint.suggestions, hint.chosen, _said(hint, turn.text))
    return found


def _said(hint: Hint, text: str) -> int | None:
    for index, suggestion in enumerate(hint.suggestions):
        if PhraseMatcher(suggestion.get("text", "")).matches(text):
            return index
    return None
