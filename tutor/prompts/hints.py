"""What "What could I say?" asks the text model: two or three short replies the learner could
say next, at their level, each with a gloss in their native language. The texts are in
`text/hints/`.

The request names the languages and level in plain lines, lists a topic's target phrases one
quoted phrase per line (as the tutor's instruction does) and ends with the last turns as
"Tutor: ..." / "Learner: ..." lines under "The conversation so far:": clear for the model, and
what the offline emulator reads to suggest its script's next lines (tutor/emulator/hints.py).
Transcript lines come from learners, so each is folded onto one line and capped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor.prompts.builder import FIELD_LIMIT, LearnerBrief, TopicBrief
from tutor.prompts.languages import get_language, native_language_name
from tutor.prompts.templates import render

HINT_COUNT = 3  # what the model is asked for; two are enough to show
HINT_TURNS = 20  # the last turns the model sees: the scene so far, and the tutor's last line
LINE_LIMIT = 300
# How each stored speaker is named to the model; a peer is another learner in a group.
_SPEAKERS = {"learner": "Learner", "tutor": "Tutor", "peer": "Another learner"}
NOTHING_YET = "(Nothing has been said yet. The tutor is about to greet the learner.)"
# Response schema (plain dict, types.Schema's shape): tutor.live.hints turns it into types.
SCHEMA = {
    "type": "OBJECT",
    "properties": {
        "suggestions": {
            "type": "ARRAY",
            "min_items": 2,
            "max_items": HINT_COUNT,
            "items": {
                "type": "OBJECT",
                "properties": {"text": {"type": "STRING"}, "gloss": {"type": "STRING"}},
                "required": ["text", "gloss"],
            },
        }
    },
    "required": ["suggestions"],
}


@dataclass(frozen=True)
class HintBrief:
    learner: LearnerBrief
    topic: TopicBrief | None
    history: list[tuple[str, str]]  # (speaker "learner" | "tutor", text), oldest first


def hint_system_instruction(brief: HintBrief) -> str:
    return render("hints/system.txt", **_context(brief))


def hint_request(brief: HintBrief) -> str:
    context = _context(brief)
    topic = brief.topic
    if topic is None:
        situation = render("hints/free_talk.txt")
    else:
        phrases = (_one_line(phrase, FIELD_LIMIT) for phrase in topic.target_phrases)
        situation = render(
            "hints/topic.txt",
            title=_one_line(topic.title, FIELD_LIMIT),
            tutor_role=_one_line(topic.tutor_role, FIELD_LIMIT),
            learner_goal=_one_line(topic.learner_goal, FIELD_LIMIT),
            target_phrases="\n".join(f'- "{phrase}"' for phrase in phrases if phrase),
        )
    lines = [
        f"{_SPEAKERS.get(speaker, 'Learner')}: {_one_line(text, LINE_LIMIT)}"
        for speaker, text in brief.history[-HINT_TURNS:]
        if text.strip()
    ]
    return render(
        "hints/request.txt",
        **context,
        situation=situation,
        transcript="\n".join(lines) or NOTHING_YET,
    )


def _context(brief: HintBrief) -> dict[str, str]:
    learner, topic = brief.learner, brief.topic
    level = (topic.level if topic else None) or learner.level
    return {
        "language_code": learner.target_language,
        "target_language": get_language(learner.target_language).name,
        "native_code": learner.native_language,
        "native_language": native_language_name(learner.native_language),
        "level": level,
        "count": str(HINT_COUNT),
    }


def _one_line(text: str, limit: int) -> str:
    return re.sub(r"\s+", " ", text).strip()[:limit]
