"""Settings, client factory, connect config and failure classification for the Live session
(`tutor.live.session`) and the typed fallback (`tutor.live.text_reply`).

Only the `tutor.live` package imports google-genai. Nothing here does I/O except
`make_client`, which reads the CA file it is given.
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from google import genai
from google.genai import errors, types
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tutor.live.continuation import continuation

AUDIO_IN_MIME = "audio/pcm;rate=16000"
BYTES_PER_MS_IN = 32  # 16 kHz x 2 bytes (PCM16 mono)
# The sliding window keeps a session alive past the 15-minute audio cap (docs/gemini-live.md
# §5.1); the window is cut at the start of a user turn, so the tutor never loses half a turn.
TRIGGER_TOKENS = 25_600
TARGET_TOKENS = 12_800
# Keepalive (docs/gemini-live.md §5.1): Google's pongs take 8-30 s, and websockets' default
# 20 s ping_timeout then fails a healthy connection (1011 "keepalive ping timeout"). Ping as
# often as websockets does, but wait twice the worst measured pong before calling it dead.
PING_INTERVAL = 20.0
PING_TIMEOUT = 60.0


@dataclass(frozen=True)
class LiveSettings:
    """What one conversation's Live session needs. Times in seconds, buffer in ms.

    `opener` is sent as text so the tutor speaks first, on every connection until the
    greeting turn has completed (a drop mid-greeting must not leave the tutor silent), never
    after. `history` is the stored transcript of a conversation whose Live session was lost:
    it goes into the system instruction of every fresh (not resumed) connection.
    """

    model: str
    system_instruction: str
    voice: str
    language_code: str = ""
    tools: list[dict[str, Any]] = field(default_factory=list)
    opener: str | None = None
    max_retries: int = 4
    backoff: float = 0.5
    max_backoff: float = 8.0
    connect_timeout: float = 10.0
    history: tuple[tuple[str, str], ...] = ()
    # Learner audio held while disconnected (or while a goAway'd connection finishes its turn).
    audio_buffer_ms: int = 8000
    # Audio sent but not yet taken into a turn by the server, replayed after a reconnect.
    replay_ms: int = 8000
    # After goAway, finish the current turn only if it ends this long before the deadline
    # (at most a quarter of the notice, so a short notice still lets a turn finish).
    go_away_margin: float = 2.0
    # A handle another process stored when it handed the conversation over: the first
    # connection resumes from it (tutor.conversation.handover); refused, it starts fresh.
    resume_handle: str | None = None


def make_client(
    *,
    api_key: str,
    base_url: str | None = None,
    ca_file: str | None = None,
    ping_interval: float = PING_INTERVAL,
    ping_timeout: float = PING_TIMEOUT,
) -> genai.Client:
    """A genai client on `v1beta` (the only version serving Live, docs/gemini-live.md §1.4).

    `ca_file` (PEM) makes both the Live WebSocket and the HTTP `generate_content` path trust a
    local CA, e.g. the emulator's: the SDK hands `async_client_args['ssl']` to websockets and
    to aiohttp alike.

    The Live WebSocket goes without permessage-deflate: compressing base64 audio 50 times a
    second was a fifth of the relay's CPU (bench/relay.py) for a ~25% saving on the server's
    own uplink. The SDK passes `compression`, `ping_interval` and `ping_timeout` to
    websockets' connect (`_api_client._ensure_websocket_ssl_ctx` keeps the arguments in
    `ws_connect`'s signature; aiohttp and httpx drop arguments their signatures lack).
    """
    options = types.HttpOptions(api_version="v1beta", base_url=base_url or None)
    args: dict[str, Any] = {
        "compression": None,
        "ping_interval": ping_interval,
        "ping_timeout": ping_timeout,
    }
    if ca_file:
        args["ssl"] = ssl.create_default_context(cafile=ca_file)
    options.async_client_args = args
    return genai.Client(api_key=api_key, http_options=options)


def function_declarations(tools: list[dict[str, Any]]) -> list[types.FunctionDeclaration]:
    """Plain JSON-schema dicts -> declarations using `parameters` (Schema), the form Live
    documents. `behavior` stays unset on purpose: 3.1 Live only supports blocking calls and
    3.8 defaults to NON_BLOCKING; the bridge answers at once either way (see `LiveTutor`)."""
    return [
        types.FunctionDeclaration(
            name=tool["name"],
            description=tool.get("description", ""),
            parameters=types.Schema.model_validate(tool["parameters"])
            if tool.get("parameters")
            else None,
        )
        for tool in tools
    ]


def connect_config(
    settings: LiveSettings, handle: str | None, history: Sequence[tuple[str, str]] = ()
) -> types.LiveConnectConfig:
    """A fresh config per connection (the SDK mutates it), resuming from `handle` if set; a
    fresh session given `history` is told where the conversation stands (no greeting)."""
    tools = function_declarations(settings.tools)
    instruction = settings.system_instruction
    if history and handle is None:
        instruction += continuation(history)
    return types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO],
        speech_config=types.SpeechConfig(
            voice_config=types.VoiceConfig(
                prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name=settings.voice)
            ),
            language_code=settings.language_code or None,
        ),
        system_instruction=instruction,
        tools=[types.Tool(function_declarations=tools)] if tools else None,
        input_audio_transcription=types.AudioTranscriptionConfig(),
        output_audio_transcription=types.AudioTranscriptionConfig(),
        session_resumption=types.SessionResumptionConfig(handle=handle),
        context_window_compression=types.ContextWindowCompressionConfig(
            trigger_tokens=TRIGGER_TOKENS,
            sliding_window=types.SlidingWindow(target_tokens=TARGET_TOKENS),
        ),
        realtime_input_config=types.RealtimeInputConfig(
            automatic_activity_detection=types.AutomaticActivityDetection(disabled=False),
            activity_handling=types.ActivityHandling.START_OF_ACTIVITY_INTERRUPTS,
        ),
    )


@dataclass(frozen=True)
class Failure:
    """A classified upstream failure: `code` is the Error event code when `fatal`."""

    fatal: bool
    code: str
    message: str


_QUOTA_MARKERS = ("RESOURCE_EXHAUSTED", "quota", "Quota")
_AUTH_MARKERS = ("API key", "api key", "API_KEY", "permission", "PERMISSION_DENIED")


def classify(exc: BaseException, secret: str | None = None) -> Failure:
    """Sort an exception from connect/receive/send/generate into retryable or fatal.

    Close codes (docs/gemini-live.md §5.2): 1007 invalid request/config, 1008 bad model or
    key (the key case is an assumption), 1011 server trouble unless it carries
    RESOURCE_EXHAUSTED.
    HTTP statuses (a refused upgrade, or `generate_content`): 401/403 key, 429 quota, other
    4xx config; Google answers a bad key on HTTP with 400 "API key not valid".
    """
    if isinstance(exc, errors.APIError):
        reason = _scrub(str(exc.message or exc.details or ""), secret)
        if 400 <= exc.code < 600:
            return _classify_http(exc.code, reason)
        return _classify_close(exc.code, reason)
    if isinstance(exc, InvalidStatus):
        return _classify_http(exc.response.status_code, "")
    if isinstance(exc, ConnectionClosed):  # from a send: the close frame tells why
        if exc.rcvd is not None:
            return _classify_close(exc.rcvd.code, _scrub(exc.rcvd.reason, secret))
        return Failure(False, "close_1006", "abnormal closure")  # as receive() reports it
    if isinstance(exc, TimeoutError):
        return Failure(False, "timeout", "no reply from Gemini in time")
    if isinstance(exc, OSError):
        return Failure(False, "network", "cannot reach Gemini")
    return Failure(False, "unexpected", type(exc).__name__)


def _classify_close(code: int, reason: str) -> Failure:
    if _has(reason, _QUOTA_MARKERS):
        return Failure(True, "upstream_quota", f"Gemini quota exhausted ({code}): {reason}")
    if code in (1007, 1008) and _has(reason, _AUTH_MARKERS):
        return Failure(True, "upstream_auth", f"Gemini rejected the API key ({code}).")
    if code in (1007, 1008):
        return Failure(True, "upstream_config", f"Gemini refused the session ({code}): {reason}")
    return Failure(False, f"close_{code}", reason or f"closed with {code}")


def _classify_http(status: int, reason: str) -> Failure:
    if status in (401, 403) or (status == 400 and _has(reason, _AUTH_MARKERS)):
        return Failure(True, "upstream_auth", f"Gemini rejected the API key (HTTP {status}).")
    if status == 429 or _has(reason, _QUOTA_MARKERS):
        return Failure(True, "upstream_quota", f"Gemini quota exhausted (HTTP {status}).")
    if 400 <= status < 500:
        detail = f": {reason}" if reason else "."
        return Failure(
            True, "upstream_config", f"Gemini refused the request (HTTP {status}){detail}"
        )
    return Failure(False, f"http_{status}", reason or f"HTTP {status}")


def _has(text: str, markers: tuple[str, ...]) -> bool:
    return any(marker in text for marker in markers)


def _scrub(text: str, secret: str | None) -> str:
    """Server reasons are logged (learners get our sentence for the failure's kind,
    `tutor.live.texts.failure_text`): make sure the key never rides along."""
    text = text[:200]
    return text.replace(secret, "[key]") if secret else text


class ResumeRefused(Exception):
    """The server refused the resumption handle during setup (raised from the APIError)."""


def refuses_resume(exc: errors.APIError, secret: str | None) -> bool:
    # Fatal key or quota failures stay fatal; any other 1008 (bad or expired handle) or 1011
    # (a resume while the old connection is still held, aicc2025/sip-to-ai#14) means: fresh.
    return exc.code in (1008, 1011) and classify(exc, secret).code in (
        "upstream_config",
        "close_1011",
    )
