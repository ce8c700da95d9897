"""What the speaking drills ask Gemini: transcribe a spoken answer to a card, or read a model
answer aloud. The texts are in `text/drills/`.

Card texts are quoted between « and »: the model reads them as quotations, and the emulator
takes the quoted texts as the only things it may "hear" (tutor/emulator/audio_content.py).
A guillemet inside a card's text would end its quotation early, so it becomes a plain quote.
"""

from __future__ import annotations

from dataclasses import dataclass

from tutor.prompts.languages import get_language
from tutor.prompts.templates import render


@dataclass(frozen=True)
class DrillCard:
    """A card as the judge sees it. On a card made from a correction the prompt is what the
    learner first said, so a learner repeating their old mistake is heard as such."""

    language: str  # ISO 639-1
    instruction: str
    prompt: str
    expected: str


def judge_system_instruction() -> str:
    return render("drills/judge_system.txt")


def judge_request(card: DrillCard) -> str:
    """The text sent with the recording: the card, its expected answer, the target language."""
    return render(
        "drills/judge_card.txt",
        language_code=card.language,
        language_name=get_language(card.language).name,
        prompt=_quotable(card.prompt),
        instruction=card.instruction.rstrip(":"),
        expected=_quotable(card.expected),
    )


def speech_request(text: str, language: str) -> str:
    """The text-to-speech request for a card's model answer."""
    return render(
        "drills/speak.txt",
        language_code=language,
        language_name=get_language(language).name,
        text=_quotable(text),
    )


def _quotable(text: str) -> str:
    return " ".join(text.replace("«", '"').replace("»", '"').split())
