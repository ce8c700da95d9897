"""The emulator's rubric scorer: what a text model might propose for a rubric request
(tutor/prompts/rubrics.py's shape), worked out from the transcript it is given. Plausible, not
kind: a learner who said little scores little, and it cites real learner lines by the labels
the request gave them — plus, now and then, a tutor line or a turn that does not exist, as a
careless model would, so the server's check on evidence is exercised."""

from __future__ import annotations

import json
import re
from typing import Any

MARKER = "You score a language learner's speaking against a teacher's rubric."
_CRITERION = re.compile(r"^criterion (\S+): .*\(0-(\d+) points\)$", re.M)
_LINE = re.compile(r"^\[(\S+) #(\d+)\] (learner|tutor): (.*)$", re.M)
_PHRASES = re.compile(r"^Target phrases of the task: (.*)$", re.M)


def is_rubric_request(instruction: str) -> bool:
    return instruction.strip().startswith(MARKER)


def propose(request: str) -> str:
    """The JSON text of the model's answer."""
    lines = [m.groups() for m in _LINE.finditer(request)]
    learner = [(c, int(o), text) for c, o, who, text in lines if who == "learner"]
    tutor = [(c, int(o), text) for c, o, who, text in lines if who == "tutor"]
    match = _PHRASES.search(request)
    phrases = [p.strip().lower() for p in (match.group(1) if match else "").split(";")]
    phrases = [p for p in phrases if p and p != "(none)"]
    words = [len(text.split()) for _, _, text in learner]
    mean = sum(words) / len(words) if words else 0.0
    longest = sorted(learner, key=lambda line: -len(line[2].split()))
    scores = []
    for key, top in _CRITERION.findall(request):
        best = int(top)
        cited = longest[:2]
        if key == "phrases":
            used = [p for p in phrases if any(p in text.lower() for _, _, text in learner)]
            points = min(best, len(used) + (1 if used else 0)) if phrases else 0
            cited = [line for line in learner if any(p in line[2].lower() for p in used)][:2]
            why = f"Used {len(used)} of {len(phrases)} target phrases."
        elif key == "task":
            points = min(best, len(learner) // 2)
            why = f"Took {len(learner)} turns in the task."
        elif key == "fluency":
            points = 0 if not learner else min(best, 1 + int(mean >= 5) + int(mean >= 9))
            why = f"About {mean:.0f} words a turn."
        else:
            points = 0 if not learner else min(best, 1 + int(len(learner) >= 3) + int(mean >= 6))
            why = "Judged from the learner's turns."
        evidence: list[dict[str, Any]] = [{"conversation": c, "ordinal": o} for c, o, _ in cited]
        if key == "interaction" and tutor:  # careless: the tutor's line cited as the learner's
            evidence.append({"conversation": tutor[0][0], "ordinal": tutor[0][1]})
        if key == "accuracy" and learner:  # careless: a turn that does not exist
            evidence.append({"conversation": learner[0][0], "ordinal": 9999})
        quote = f' For example: "{cited[0][2]}".' if cited else ""
        scores.append(
            {"criterion": key, "points": points, "rationale": why + quote, "evidence": evidence}
        )
    return json.dumps({"scores": scores}, ensure_ascii=False)
