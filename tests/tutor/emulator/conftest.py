"""Fixtures for emulator tests: a running emulator, a real SDK client, learner speech."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Any

import pytest
from google import genai
from google.genai import types

from tutor.emulator import Emulator
from tutor.emulator.voice import synthesize

MODEL = "gemini-3.1-flash-live-preview"
INSTRUCTION = (
    "You are a warm, patient Spanish conversation tutor in a live voice call with Alice. "
    "Their native language is English and their Spanish level is CEFR A2.\n"
    'This is a role-play on the topic "Ordering at a café".'
)
OPENER = "(Alice has just joined. Greet them by name and open the scenario in Spanish.)"
_STRING = types.Schema(type=types.Type.STRING)
NOTE_CORRECTION = types.FunctionDeclaration(
    name="note_correction",
    description="Record a correction.",
    parameters=types.Schema(
        type=types.Type.OBJECT,
        properties={k: _STRING for k in ("original", "corrected", "explanation", "kind")},
    ),
)
NOTE_PHRASE = types.FunctionDeclaration(
    name="note_phrase",
    description="Record a phrase.",
    parameters=types.Schema(
        type=types.Type.OBJECT, properties={"text": _STRING, "translation": _STRING}
    ),
)


@pytest.fixture
def emulator_silence_ms() -> int:
    return 600  # the emulator's default, as the real service's end-of-speech silence


def make_client(
    emu: Emulator, api_key: str = "test-key", api_version: str = "v1beta"
) -> genai.Client:
    context = ssl.create_default_context(cafile=emu.ca_file)
    options = types.HttpOptions(
        base_url=emu.base_url, api_version=api_version, async_client_args={"ssl": context}
    )
    return genai.Client(api_key=api_key, http_options=options)


def live_config(
    *,
    language_code: str | None = "es-ES",
    instruction: str = INSTRUCTION,
    handle: str | None = None,
    resumption: bool = False,
    tools: bool = True,
    **extra: Any,
) -> types.LiveConnectConfig:
    return types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO],
        speech_config=types.SpeechConfig(language_code=language_code),
        system_instruction=instruction,
        tools=[types.Tool(function_declarations=[NOTE_CORRECTION, NOTE_PHRASE])] if tools else [],
        input_audio_transcription=types.AudioTranscriptionConfig(),
        output_audio_transcription=types.AudioTranscriptionConfig(),
        session_resumption=types.SessionResumptionConfig(handle=handle)
        if resumption or handle
        else None,
        **extra,
    )


def speech(text: str, lang: str = "es", rate: int = 16000) -> bytes:
    """The learner saying `text`: espeak-ng speech, int16 mono PCM at `rate` Hz."""
    return synthesize(text, lang, rate)


def silence(seconds: float, rate: int = 16000) -> bytes:
    return bytes(int(seconds * rate) * 2)


async def say(session: Any, pcm: bytes, rate: int = 16000, chunk_ms: int = 100) -> None:
    """Send PCM the way the bridge does: `audio=` blobs of `chunk_ms` each."""
    step = rate * 2 * chunk_ms // 1000
    mime = f"audio/pcm;rate={rate}"
    for start in range(0, len(pcm), step):
        blob = types.Blob(data=pcm[start : start + step], mime_type=mime)
        await session.send_realtime_input(audio=blob)


@dataclass
class Turn:
    """Everything received up to and including one turnComplete."""

    messages: list[types.LiveServerMessage] = field(default_factory=list)

    def contents(self) -> list[types.LiveServerContent]:
        return [m.server_content for m in self.messages if m.server_content]

    @property
    def audio(self) -> bytes:
        return b"".join(m.data for m in self.messages if m.data)

    @property
    def audio_parts(self) -> list[types.Blob]:
        return [
            part.inline_data
            for c in self.contents()
            if c.model_turn
            for part in c.model_turn.parts or []
            if part.inline_data
        ]

    @property
    def heard(self) -> str:
        return "".join(
            c.input_transcription.text or "" for c in self.contents() if c.input_transcription
        )

    @property
    def said(self) -> str:
        return "".join(
            c.output_transcription.text or "" for c in self.contents() if c.output_transcription
        )

    @property
    def tool_calls(self) -> list[types.FunctionCall]:
        return [fc for m in self.messages if m.tool_call for fc in m.tool_call.function_calls or []]

    def kinds(self) -> list[str]:
        """A coarse event sequence, e.g. ['heard', 'tool', 'audio', 'generation', 'turn']."""
        out: list[str] = []
        for m in self.messages:
            c = m.server_content
            for kind, present in (
                ("tool", m.tool_call),
                ("cancel", m.tool_call_cancellation),
                ("heard", c and c.input_transcription),
                ("audio", m.data),
                ("interrupted", c and c.interrupted),
                ("generation", c and c.generation_complete),
                ("turn", c and c.turn_complete),
            ):
                if present and (not out or out[-1] != kind):
                    out.append(kind)
        return out


async def next_turn(session: Any, answer_tools: bool = True) -> Turn:
    """Receive one turn; answer each tool call at once when `answer_tools`."""
    turn = Turn()
    async for message in session.receive():
        turn.messages.append(message)
        if answer_tools and message.tool_call:
            responses = [
                types.FunctionResponse(id=fc.id, name=fc.name, response={"ok": True})
                for fc in message.tool_call.function_calls or []
            ]
            await session.send_tool_response(function_responses=responses)
    return turn
