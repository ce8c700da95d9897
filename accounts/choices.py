"""Languages, CEFR levels and learner preferences shared by every app."""

from __future__ import annotations

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Languages the tutor teaches (the built-in topic library covers each of them).
TARGET_LANGUAGES = [
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("pt", _("Portuguese")),
    ("ja", _("Japanese")),
    ("en", _("English")),
]
# Languages a learner may speak natively (short explanations at A1–A2 may use it), in the
# English names' alphabetical order (the translated names are not read while the apps load).
NATIVE_LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("hi", _("Hindi")),
    ("it", _("Italian")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("sv", _("Swedish")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
]
LANGUAGE_NAMES = dict(NATIVE_LANGUAGES)

# Gemini's 30 prebuilt voices and the character Google's voice library gives each, for the
# forms that let a teacher (a topic's persona) or a learner (free talk) choose the tutor's voice.
# Keep in step with tutor.prompts.voices.PREBUILT_VOICES (a test checks): accounts and lessons
# may not import tutor.
_CHARACTERS = {
    "Zephyr": pgettext_lazy("voice character", "bright"),
    "Puck": pgettext_lazy("voice character", "upbeat"),
    "Charon": pgettext_lazy("voice character", "informative"),
    "Kore": pgettext_lazy("voice character", "firm"),
    "Fenrir": pgettext_lazy("voice character", "excitable"),
    "Leda": pgettext_lazy("voice character", "youthful"),
    "Orus": pgettext_lazy("voice character", "firm"),
    "Aoede": pgettext_lazy("voice character", "breezy"),
    "Callirrhoe": pgettext_lazy("voice character", "easy-going"),
    "Autonoe": pgettext_lazy("voice character", "bright"),
    "Enceladus": pgettext_lazy("voice character", "breathy"),
    "Iapetus": pgettext_lazy("voice character", "clear"),
    "Umbriel": pgettext_lazy("voice character", "easy-going"),
    "Algieba": pgettext_lazy("voice character", "smooth"),
    "Despina": pgettext_lazy("voice character", "smooth"),
    "Erinome": pgettext_lazy("voice character", "clear"),
    "Algenib": pgettext_lazy("voice character", "gravelly"),
    "Rasalgethi": pgettext_lazy("voice character", "informative"),
    "Laomedeia": pgettext_lazy("voice character", "upbeat"),
    "Achernar": pgettext_lazy("voice character", "soft"),
    "Alnilam": pgettext_lazy("voice character", "firm"),
    "Schedar": pgettext_lazy("voice character", "even"),
    "Gacrux": pgettext_lazy("voice character", "mature"),
    "Pulcherrima": pgettext_lazy("voice character", "forward"),
    "Achird": pgettext_lazy("voice character", "friendly"),
    "Zubenelgenubi": pgettext_lazy("voice character", "casual"),
    "Vindemiatrix": pgettext_lazy("voice character", "gentle"),
    "Sadachbia": pgettext_lazy("voice character", "lively"),
    "Sadaltager": pgettext_lazy("voice character", "knowledgeable"),
    "Sulafat": pgettext_lazy("voice character", "warm"),
}
TUTOR_VOICES = [
    (name, format_lazy("{} · {}", name, character)) for name, character in _CHARACTERS.items()
]


class Level(models.TextChoices):
    A1 = "A1", _("A1 · Beginner")
    A2 = "A2", _("A2 · Elementary")
    B1 = "B1", _("B1 · Intermediate")
    B2 = "B2", _("B2 · Upper intermediate")
    C1 = "C1", _("C1 · Advanced")
    C2 = "C2", _("C2 · Proficient")


LEVEL_ORDER = [level.value for level in Level]

# CEFR self-assessment "can do" statements (spoken interaction), shown at onboarding.
CAN_DO = {
    "A1": _(
        "I can say hello, introduce myself and ask simple questions if the other person "
        "speaks slowly and helps me."
    ),
    "A2": _(
        "I can handle short everyday exchanges: shopping, directions, my family and work, "
        "in simple sentences."
    ),
    "B1": _(
        "I can cope with most travel situations and talk about my experiences, plans and "
        "opinions in connected sentences."
    ),
    "B2": _(
        "I can talk with native speakers fluently enough that neither of us strains, and "
        "argue a point of view."
    ),
    "C1": _(
        "I can express myself fluently and spontaneously, for social and professional "
        "purposes, without searching for words."
    ),
    "C2": _(
        "I can take part effortlessly in any conversation, with idioms and fine shades of meaning."
    ),
}


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    TEACHER = "teacher", _("Teacher")


class CorrectionStyle(models.TextChoices):
    NONE = "none", _("Don't correct me while I talk (just note mistakes)")
    RECAST = "recast", _("Repeat it correctly, without comment")
    EXPLAIN = "explain", _("Repeat it correctly, with a brief explanation")
