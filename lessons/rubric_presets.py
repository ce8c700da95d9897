"""Rubric presets aligned with the CEFR (Council of Europe, Companion Volume 2020: qualitative
aspects of spoken language — range, accuracy, fluency, interaction — plus the task and its
target phrases). One preset per level: the same five criteria, the top descriptor pitched at
that level and the lower ones below it. Points run 0–3 per criterion."""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


@dataclass(frozen=True)
class PresetCriterion:
    key: str
    name: str
    levels: tuple[str, str, str, str]  # descriptors for 0, 1, 2, 3 points


# What "meets the level" sounds like, per level and aspect (CEFR CV 2020, Appendix 3 wording
# condensed).
_TOP = {
    "A1": {
        "range": "uses basic words and phrases about themselves and concrete situations",
        "accuracy": "controls a few simple grammatical structures in a learnt repertoire",
        "fluency": "manages very short, isolated, mainly pre-packaged utterances",
        "interaction": "asks and answers simple questions; communication relies on repetition",
    },
    "A2": {
        "range": "uses basic sentence patterns with memorised phrases to exchange information",
        "accuracy": "uses simple structures correctly but still makes basic mistakes",
        "fluency": "makes themselves understood in very short utterances despite pauses",
        "interaction": "answers and responds to simple statements; keeps a short exchange going",
    },
    "B1": {
        "range": "has enough language to get by on familiar topics, with some circumlocution",
        "accuracy": "uses a repertoire of frequent routines and patterns reasonably accurately",
        "fluency": "keeps going comprehensibly, pausing for planning and repair",
        "interaction": "initiates, maintains and closes simple face-to-face conversation",
    },
    "B2": {
        "range": "expresses viewpoints on most general topics without searching for words",
        "accuracy": "shows fairly high grammatical control; errors cause no misunderstanding",
        "fluency": "produces stretches of language at a fairly even tempo",
        "interaction": "initiates, takes turns and helps the discussion along",
    },
    "C1": {
        "range": "selects from a broad range of language to express themselves clearly",
        "accuracy": "consistently maintains a high degree of grammatical accuracy",
        "fluency": "expresses themselves fluently and spontaneously, almost effortlessly",
        "interaction": "relates their contribution skilfully to those of other speakers",
    },
    "C2": {
        "range": "reformulates ideas with great flexibility to convey finer shades of meaning",
        "accuracy": "maintains consistent grammatical control of complex language",
        "fluency": "expresses themselves at length with a natural, effortless flow",
        "interaction": "interacts with ease and skill, picking up non-verbal and intonational cues",
    },
}
_ASPECTS = (
    ("range", "Range"),
    ("accuracy", "Accuracy"),
    ("fluency", "Fluency"),
    ("interaction", "Interaction"),
)


def preset(level: str) -> list[PresetCriterion]:
    """The five criteria of the preset for `level` (A1–C2)."""
    if level not in LEVELS:
        raise ValueError(f"No preset for {level!r}")
    below = LEVELS[max(LEVELS.index(level) - 1, 0)]
    criteria = [
        PresetCriterion(
            "task",
            "Task completion",
            (
                "The task was not attempted.",
                "Part of the task was done, with much help.",
                "Most of the task was done.",
                "The whole task was done, as the role-play asked.",
            ),
        ),
        PresetCriterion(
            "phrases",
            "Target phrases",
            (
                "No target phrase was used.",
                "One target phrase was used.",
                "Several target phrases were used.",
                "Most target phrases were used, fittingly.",
            ),
        ),
    ]
    for key, name in _ASPECTS:
        top, lower = _TOP[level][key], _TOP[below][key]
        criteria.append(
            PresetCriterion(
                key,
                name,
                (
                    "Not enough speech to judge.",
                    f"Below {below}: does not yet reliably manage what {below} describes.",
                    f"Around {below}: {lower}.",
                    f"{level}: {top}.",
                ),
            )
        )
    return criteria
