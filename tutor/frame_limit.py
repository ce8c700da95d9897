"""WebSocket frames too large for the server end the socket with 4413, as documented.

Daphne's WebSocket layer (autobahn) refuses a message over its size limit before reading it,
by dropping the TCP connection: the page saw a bare 1006, took it for a network drop and
reconnected. This protocol, installed into Daphne when tutor.asgi is loaded, sets the limit
itself (MAX_FRAME_BYTES, far above any frame the protocol allows: 4096-character control
messages, 120 ms of audio) and answers an oversize frame as the consumer answers a frame over
the protocol's limits: an `error` event `bad_frame`, then close code 4413 with a closing
handshake. The rest of the frame is read and discarded, never buffered.
"""

from __future__ import annotations

import contextlib
import json
from http.cookies import CookieError, SimpleCookie
from typing import Any

from daphne.ws_protocol import WebSocketFactory, WebSocketProtocol
from django.utils import translation

from accounts import language
from tutor import learner_texts
from tutor.conversation.protocol import CLOSE_TOO_LARGE

__all__ = ["MAX_FRAME_BYTES", "FrameLimitProtocol", "install"]

# The largest frame the protocol allows is 120 ms of 96 kHz stereo float audio (92,160 bytes).
MAX_FRAME_BYTES = 256 * 1024


class FrameLimitProtocol(WebSocketProtocol):  # type: ignore[misc]
    def _connectionMade(self) -> None:
        super()._connectionMade()  # copies the factory's options, Daphne's limits among them
        self.maxMessagePayloadSize = MAX_FRAME_BYTES
        self.maxFramePayloadSize = MAX_FRAME_BYTES

    def _max_message_size_exceeded(self, msg_size: int, max_msg_size: int, reason: str) -> None:
        """autobahn's hook for a frame or message over the limit (it would drop the TCP
        connection). Called before the payload is read; whatever follows is discarded."""
        with translation.override(self._visitors_language()):
            message = str(learner_texts.frame_problem_text("too_large"))
        error = {"type": "error", "code": "bad_frame", "message": message, "detail": reason}
        self.sendMessage(json.dumps(error).encode(), isBinary=False)
        self.failByDrop = False  # fail with a close frame the page can read
        self._fail_connection(CLOSE_TOO_LARGE, "frame too large")

    def _visitors_language(self) -> str:
        """The handshake's cookie and Accept-Language (no user here: below Channels' auth), as
        for a visitor; a signed-in learner's switcher cookie or browser says the same."""
        headers = getattr(self, "http_headers", None) or {}
        cookies: dict[str, str] = {}
        with contextlib.suppress(CookieError):  # a malformed header: no cookies, then
            cookies = {k: m.value for k, m in SimpleCookie(headers.get("cookie", "")).items()}
        return language.choose(None, cookies, headers.get("accept-language", ""))


def install(factory: Any = WebSocketFactory) -> None:
    """Make Daphne's WebSocket factory build FrameLimitProtocol (before Daphne serves)."""
    factory.protocol = FrameLimitProtocol
