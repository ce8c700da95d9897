"""What the word lookup asks the text model: explain one word of a caption, with the line it
came from as context. The texts are in `text/words/`.

The word and the sentence are quoted between « and » (a guillemet inside them becomes a plain
quote), so the model reads them as quotations, and the offline emulator finds them by their
labels (tutor/emulator/lookup.py)."""

from __future__ import annotations

from dataclasses import dataclass

from tutor.prompts.languages import get_language
from tutor.prompts.templates import render

# The parts of speech the model may answer (lessons.models.WordEntry.Pos spells them too).
PARTS_OF_SPEECH = (
    "noun",
    "verb",
    "adjective",
    "adverb",
    "pronoun",
    "preposition",
    "conjunction",
    "determiner",
    "numeral",
    "particle",
    "interjection",
    "proper noun",
    "other",
)


@dataclass(frozen=True)
class WordQuestion:
    language: str  # ISO 639-1, the conversation's
    native: str  # the learner's native language, ISO 639-1
    native_name: str  # its English name ("Polish"): not every native language is taught here
    level: str  # CEFR
    word: str
    sentence: str


def explain_system_instruction() -> str:
    return render("words/explain_system.txt")


def explain_request(question: WordQuestion) -> str:
    return render(
        "words/explain_word.txt",
        language_code=question.language,
        language_name=get_language(question.language).name,
        native_code=question.native,
        native_name=question.native_name or question.native,
        level=question.level,
        word=_quotable(question.word),
        sentence=_quotable(question.sentence),
    )


def _quotable(text: str) -> str:
    return " ".join(text.replace("«", '"').replace("»", '"').split())
