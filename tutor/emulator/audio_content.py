"""generateContent with audio: a recording to transcribe, or a text to speak.

Two requests Tertulia's speaking drills make (tutor/live/drills.py), as the real API takes them:

- **Audio in** (an `inlineData` part with an `audio/*` MIME type): the emulator "hears" it
  with `hearing.recognise`, which knows only its own voice saying one of the texts the request
  quotes between « and » in the language named by a `Target language: xx` line. The reply is
  the transcript, as `{"transcript": ...}` when JSON was asked for; an empty transcript means
  nothing was recognised. It never guesses.
- **Audio out** (`generationConfig.responseModalities` holding `AUDIO`, as for Gemini's TTS
  models): the quoted text (or, without quotes, all the text) spoken by espeak-ng in the
  language of `speechConfig.languageCode` (else the `Target language` line), in the espeak
  variant of the prebuilt voice `speechConfig.voiceConfig.prebuiltVoiceConfig.voiceName` names
  (voice.py), returned as one `inlineData` part of 24 kHz PCM16,
  `audio/L16;codec=pcm;rate=24000`. A voice name that is not a prebuilt voice is a 400.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import re
import wave
from typing import Any

import numpy as np

from tutor.emulator import wire
from tutor.emulator.hearing import recognise
from tutor.emulator.setup import instruction_text
from tutor.emulator.voice import PREBUILT_VOICES, synthesize

SPEECH_MIME = "audio/L16;codec=pcm;rate=24000"
_QUOTED = re.compile(r"«([^«»]+)»")
_LANGUAGE = re.compile(r"Target language:\s*([a-z]{2})\b", re.IGNORECASE)


class BadAudio(ValueError):
    """An audio part the emulator cannot read, or a voice it does not have; the message goes
    back as a 400."""


async def audio_parts(body: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The reply's parts for a request with audio in or out, or None for a text request."""
    config = body.get("generationConfig") or {}
    texts, audio = _user_parts(body)
    prompt = "\n".join([instruction_text(body.get("systemInstruction")), *texts])
    if "AUDIO" in [str(m).upper() for m in config.get("responseModalities") or []]:
        voice = _voice(config)
        return [await _speak(texts, _speech_language(config) or _language(prompt), voice)]
    if not audio:
        return None
    pcm, rate = _pcm(*audio[0])
    texts_named, language = _QUOTED.findall(prompt), _language(prompt)
    heard = await asyncio.to_thread(recognise, pcm, rate, texts_named, language)
    if config.get("responseMimeType") == "application/json":
        return [{"text": json.dumps({"transcript": heard}, ensure_ascii=False)}]
    return [{"text": heard}]


async def _speak(texts: list[str], language: str, voice: str | None) -> dict[str, Any]:
    quoted = _QUOTED.findall("\n".join(texts))
    spoken = (" ".join(quoted) if quoted else " ".join(texts)).strip() or "…"
    pcm = await asyncio.to_thread(synthesize, spoken, language, 24000, 160, voice)
    return {"inlineData": {"mimeType": SPEECH_MIME, "data": base64.b64encode(pcm).decode()}}


def user_texts(body: dict[str, Any]) -> list[str]:
    """The text parts of the request's user contents."""
    return _user_parts(body)[0]


def _user_parts(body: dict[str, Any]) -> tuple[list[str], list[tuple[str, str]]]:
    texts: list[str] = []
    audio: list[tuple[str, str]] = []
    for content in body.get("contents") or []:
        if not isinstance(content, dict) or content.get("role", "user") != "user":
            continue
        for part in content.get("parts") or []:
            if not isinstance(part, dict):
                continue
            blob = part.get("inlineData") or {}
            if "text" in part:
                texts.append(str(part["text"]))
            elif str(blob.get("mimeType", "")).startswith("audio/"):
                audio.append((str(blob["mimeType"]), str(blob.get("data", ""))))
    return texts, audio


def _pcm(mime_type: str, data: str) -> tuple[bytes, int]:
    """int16 mono samples and their rate from a WAV or raw PCM16 (`audio/pcm;rate=N`) blob."""
    raw = wire.b64decode(data)
    if not mime_type.startswith(("audio/wav", "audio/x-wav", "audio/wave")):
        return raw, wire.mime_rate(mime_type)
    try:
        with wave.open(io.BytesIO(raw)) as wav:
            if wav.getsampwidth() != 2:
                raise BadAudio("Only 16-bit PCM WAV audio is supported here.")
            frames = wav.readframes(wav.getnframes())
            channels, rate = wav.getnchannels(), wav.getframerate()
    except (wave.Error, EOFError) as exc:
        raise BadAudio("The audio is not a readable WAV file.") from exc
    if channels == 2:  # the left channel is enough to recognise a voice
        frames = np.frombuffer(frames[: len(frames) // 4 * 4], dtype=np.int16)[::2].tobytes()
    return frames, rate


def _language(prompt: str) -> str:
    match = _LANGUAGE.search(prompt)
    return match.group(1).lower() if match else "en"


def _voice(config: dict[str, Any]) -> str | None:
    """The prebuilt voice asked for, or None; BadAudio for a name no prebuilt voice has.
    ASSUMPTION: the real wording for an unknown voice is undocumented."""
    speech = config.get("speechConfig") or {}
    name = ((speech.get("voiceConfig") or {}).get("prebuiltVoiceConfig") or {}).get("voiceName")
    if name is None:
        return None
    if name not in PREBUILT_VOICES:
        raise BadAudio(f"Voice name {name} is not supported.")
    return str(name)


def _speech_language(config: dict[str, Any]) -> str:
    code = str((config.get("speechConfig") or {}).get("languageCode") or "")
    return code.split("-")[0].lower()
