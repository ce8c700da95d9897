"""LiveTutor's direct audio frame (tutor.live.realtime_input.audio_message) is the SDK's,
byte for byte."""

from __future__ import annotations

import json

import pytest
from google.genai import _common, types
from google.genai import _live_converters as converters

from tutor.live.config import AUDIO_IN_MIME
from tutor.live.realtime_input import audio_message, send_audio_frame


def sdk_message(pcm: bytes) -> str:
    """What AsyncSession.send_realtime_input(audio=...) sends for the Gemini API (3.6.1)."""
    params = types.LiveSendRealtimeInputParameters.model_validate(
        {"audio": types.Blob(data=pcm, mime_type=AUDIO_IN_MIME)}
    )
    wire = converters._LiveSendRealtimeInputParameters_to_mldev(from_object=params)
    wire = _common.encode_unserializable_types(_common.convert_to_dict(wire))
    return json.dumps({"realtime_input": wire})


@pytest.mark.parametrize(
    "pcm",
    [b"\x00\x00" * 320, bytes(range(256)) * 4, b"\xff\xfe\xfb\xef" * 245],
    ids=["silence", "every-byte", "urlsafe-alphabet"],
)
def test_the_direct_frame_is_the_sdks_frame(pcm: bytes) -> None:
    assert audio_message(pcm) == sdk_message(pcm)


class Socket:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, message: str) -> None:
        self.sent.append(message)


class Session:
    """A session as the SDK builds it: the socket is `_ws`."""

    def __init__(self) -> None:
        self._ws = Socket()
        self.calls: list[dict[str, object]] = []

    async def send_realtime_input(self, **kwargs: object) -> None:
        self.calls.append(kwargs)


async def test_audio_goes_straight_to_the_sessions_socket() -> None:
    session = Session()
    await send_audio_frame(session, b"\x01\x02" * 320)  # type: ignore[arg-type]
    assert session._ws.sent == [sdk_message(b"\x01\x02" * 320)]
    assert session.calls == []


async def test_a_session_without_a_socket_gets_the_documented_call() -> None:
    session = Session()
    del session._ws
    await send_audio_frame(session, b"\x01\x02")  # type: ignore[arg-type]
    (call,) = session.calls
    assert call["audio"] == types.Blob(data=b"\x01\x02", mime_type=AUDIO_IN_MIME)
