"""The speaking drills' two Gemini calls, both `generate_content` over HTTP:

- `transcribe_answer`: the learner's recording (16 kHz mono WAV, inline) and the card go to the
  text model, which writes down what it heard as JSON. Tertulia, not the model, decides whether
  that matches the card (`lessons.text.phrase_match`), by the same tolerant rule as target
  phrases, so a verdict never depends on how a model felt that day.
- `speak_text`: a card's model answer read aloud by a Gemini TTS model (`responseModalities`
  AUDIO): 24 kHz PCM16 mono comes back inline.

Without a key both go to the emulator (tutor/emulator/audio_content.py), which hears only its
own voice and speaks with espeak-ng. Errors become `TutorUnavailable` with a safe message.
"""

from __future__ import annotations

import json
import logging

from google import genai
from google.genai import types

from tutor.live.one_call import generate_once
from tutor.live.text_reply import TutorUnavailable
from tutor.live.texts import gettext_noop
from tutor.prompts.drills import (
    DrillCard,
    judge_request,
    judge_system_instruction,
    speech_request,
)

__all__ = ["DRILL_TIMEOUT", "DrillCard", "TutorUnavailable", "speak_text", "transcribe_answer"]

logger = logging.getLogger(__name__)

# Hearing a few seconds of audio takes the model longer than a typed reply; the learner is
# watching a "Checking…" notice, so give it a bound and one attempt (see text_reply.py).
DRILL_TIMEOUT = 8.0
_HTTP_OPTIONS = types.HttpOptions(
    timeout=int(DRILL_TIMEOUT * 1000), retry_options=types.HttpRetryOptions(attempts=1)
)
_TRANSCRIPT_SCHEMA = types.Schema(
    type=types.Type.OBJECT,
    properties={"transcript": types.Schema(type=types.Type.STRING)},
    required=["transcript"],
)
CHECK_UNAVAILABLE = gettext_noop(
    "Your answer could not be checked right now. Try again, or type it."
)
SPEECH_UNAVAILABLE = gettext_noop("The model answer cannot be spoken right now.")


async def transcribe_answer(
    client: genai.Client, *, model: str, card: DrillCard, wav: bytes
) -> str:
    """What the learner said in `wav` (16-bit PCM WAV), as the model heard it ("" for
    nothing intelligible). Raises TutorUnavailable."""
    config = types.GenerateContentConfig(
        system_instruction=judge_system_instruction(),
        response_mime_type="application/json",
        response_schema=_TRANSCRIPT_SCHEMA,
        temperature=0.0,
        http_options=_HTTP_OPTIONS.model_copy(deep=True),
    )
    parts = [
        types.Part(text=judge_request(card)),
        types.Part.from_bytes(data=wav, mime_type="audio/wav"),
    ]
    response = await _generate(client, model, [types.Content(role="user", parts=parts)], config)
    try:
        transcript = json.loads(response.text or "{}").get("transcript", "")
    except (ValueError, AttributeError):
        raise TutorUnavailable(CHECK_UNAVAILABLE) from None
    return " ".join(str(transcript).split())


async def speak_text(
    client: genai.Client, *, model: str, voice: str, language: str, text: str
) -> tuple[bytes, int]:
    """`text` read aloud: (PCM16 mono bytes, sample rate). Raises TutorUnavailable."""
    config = types.GenerateContentConfig(
        response_modalities=["AUDIO"],
        speech_config=types.SpeechConfig(
            voice_config=types.VoiceConfig(
                prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name=voice)
            )
        ),
        http_options=_HTTP_OPTIONS.model_copy(deep=True),
    )
    contents = [types.Content(role="user", parts=[types.Part(text=speech_request(text, language))])]
    response = await _generate(client, model, contents, config, unavailable=SPEECH_UNAVAILABLE)
    for candidate in response.candidates or []:
        for part in (candidate.content.parts if candidate.content else None) or []:
            blob = part.inline_data
            if blob and blob.data and (blob.mime_type or "").startswith("audio/"):
                return blob.data, _rate(blob.mime_type or "")
    raise TutorUnavailable(SPEECH_UNAVAILABLE)


async def _generate(
    client: genai.Client,
    model: str,
    contents: list[types.Content],
    config: types.GenerateContentConfig,
    unavailable: str = CHECK_UNAVAILABLE,
) -> types.GenerateContentResponse:
    return await generate_once(
        client, model=model, contents=contents, config=config, seconds=DRILL_TIMEOUT,
        unavailable=unavailable, log=logger, what="drills",
    )  # fmt: skip


def _rate(mime_type: str) -> int:
    """The `rate=` of an audio MIME type; Gemini's TTS answers 24 kHz when it says nothing."""
    for piece in mime_type.split(";"):
        name, _, value = piece.strip().partition("=")
        if name == "rate" and value.isdigit():
            return int(value)
    return 24000
