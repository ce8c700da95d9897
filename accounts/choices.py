"""Languages, CEFR levels and learner preferences shared by every app."""

from __future__ import annotations

from django.db import models

# Languages the tutor teaches (the built-in topic library covers each of them).
TARGET_LANGUAGES = [
    ("es", "Spanish"),
    ("fr", "French"),
    ("de", "German"),
    ("it", "Italian"),
    ("pt", "Portuguese"),
    ("ja", "Japanese"),
    ("en", "English"),
]
# Languages a learner may speak natively (short explanations at A1–A2 may use it).
NATIVE_LANGUAGES = sorted(
    [
        *TARGET_LANGUAGES,
        ("zh", "Chinese"),
        ("ar", "Arabic"),
        ("hi", "Hindi"),
        ("ru", "Russian"),
        ("pl", "Polish"),
        ("nl", "Dutch"),
        ("tr", "Turkish"),
        ("ko", "Korean"),
        ("uk", "Ukrainian"),
        ("sv", "Swedish"),
    ],
    key=lambda pair: pair[1],
)
LANGUAGE_NAMES = dict(NATIVE_LANGUAGES)

# Gemini's 30 prebuilt voices and the character Google's voice library gives each, for the
# forms that let a teacher (a topic's persona) or a learner (free talk) choose the tutor's voice.
# Keep in step with tutor.prompts.voices.PREBUILT_VOICES (a test checks): accounts and lessons
# may not import tutor.
TUTOR_VOICES = [
    ("Zephyr", "Zephyr · bright"),
    ("Puck", "Puck · upbeat"),
    ("Charon", "Charon · informative"),
    ("Kore", "Kore · firm"),
    ("Fenrir", "Fenrir · excitable"),
    ("Leda", "Leda · youthful"),
    ("Orus", "Orus · firm"),
    ("Aoede", "Aoede · breezy"),
    ("Callirrhoe", "Callirrhoe · easy-going"),
    ("Autonoe", "Autonoe · bright"),
    ("Enceladus", "Enceladus · breathy"),
    ("Iapetus", "Iapetus · clear"),
    ("Umbriel", "Umbriel · easy-going"),
    ("Algieba", "Algieba · smooth"),
    ("Despina", "Despina · smooth"),
    ("Erinome", "Erinome · clear"),
    ("Algenib", "Algenib · gravelly"),
    ("Rasalgethi", "Rasalgethi · informative"),
    ("Laomedeia", "Laomedeia · upbeat"),
    ("Achernar", "Achernar · soft"),
    ("Alnilam", "Alnilam · firm"),
    ("Schedar", "Schedar · even"),
    ("Gacrux", "Gacrux · mature"),
    ("Pulcherrima", "Pulcherrima · forward"),
    ("Achird", "Achird · friendly"),
    ("Zubenelgenubi", "Zubenelgenubi · casual"),
    ("Vindemiatrix", "Vindemiatrix · gentle"),
    ("Sadachbia", "Sadachbia · lively"),
    ("Sadaltager", "Sadaltager · knowledgeable"),
    ("Sulafat", "Sulafat · warm"),
]


class Level(models.TextChoices):
    A1 = "A1", "A1 · Beginner"
    A2 = "A2", "A2 · Elementary"
    B1 = "B1", "B1 · Intermediate"
    B2 = "B2", "B2 · Upper intermediate"
    C1 = "C1", "C1 · Advanced"
    C2 = "C2", "C2 · Proficient"


LEVEL_ORDER = [level.value for level in Level]

# CEFR self-assessment "can do" statements (spoken interaction), shown at onboarding.
CAN_DO = {
    "A1": "I can say hello, introduce myself and ask simple questions if the other person "
    "speaks slowly and helps me.",
    "A2": "I can handle short everyday exchanges: shopping, directions, my family and work, "
    "in simple sentences.",
    "B1": "I can cope with most travel situations and talk about my experiences, plans and "
    "opinions in connected sentences.",
    "B2": "I can talk with native speakers fluently enough that neither of us strains, and "
    "argue a point of view.",
    "C1": "I can express myself fluently and spontaneously, for social and professional "
    "purposes, without searching for words.",
    "C2": "I can take part effortlessly in any conversation, with idioms and fine shades of "
    "meaning.",
}


class Role(models.TextChoices):
    LEARNER = "learner", "Learner"
    TEACHER = "teacher", "Teacher"


class CorrectionStyle(models.TextChoices):
    NONE = "none", "Don't correct me while I talk (just note mistakes)"
    RECAST = "recast", "Repeat it correctly, without comment"
    EXPLAIN = "explain", "Repeat it correctly, with a brief explanation"
