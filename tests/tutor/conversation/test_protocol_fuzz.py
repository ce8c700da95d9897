"""Control frames, many of them and fast: tutor.conversation.protocol (and the resampler a
start builds) must agree with the documented protocol (tests/tutor/conversation/frame_model.py)
on every one. The socket-level fuzz in test_consumer_fuzz.py runs fewer, costlier examples
through the whole stack."""

from __future__ import annotations

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.tutor.conversation.frame_model import Model, Text
from tests.tutor.conversation.frame_strategies import text_frames, valid_starts
from tutor.audio import socket_audio
from tutor.audio.frames import FrameError
from tutor.audio.resample import AudioFormatError
from tutor.conversation import protocol

START = {"type": "start", "sampleRate": 48000, "format": "s16"}


def _verdict(raw: str, prior: dict[str, object] | None) -> tuple[int | None, str | None]:
    """What the consumer does with one control frame: (close code or None, typed text)."""
    first = protocol.parse_start(prior) if prior is not None else None
    try:
        message = protocol.parse_text_frame(raw)
        if message["type"] == "start":
            start = protocol.parse_start(message)
            if first is None:
                socket_audio.inbound(start, max_bytes_per_second=256_000)
            else:
                socket_audio.same_format(first, start)
    except FrameError as exc:
        return protocol.close_code(exc), None
    except AudioFormatError:
        return protocol.CLOSE_BAD_FRAME, None
    if message["type"] == "end":
        return 1000, None
    return None, message["text"].strip() if message["type"] == "text" else None


def _expected(raw: str, prior: dict[str, object] | None) -> tuple[int | None, str | None]:
    model = Model()
    if prior is not None:
        model.feed(Text(json.dumps(prior)))
    model.feed(Text(raw))
    typed = model.expected.typed
    return model.expected.code, typed[0] if typed else None


@settings(max_examples=1500, deadline=None)
@given(frame=st.one_of(text_frames, valid_starts.map(json.dumps).map(Text)), primed=st.booleans())
@example(
    frame=Text('{"type":"start","sampleRate":48000,"format":"s16","channels":1.0}'), primed=False
)
@example(frame=Text('{"type":"start","sampleRate":48000.0,"format":"s16"}'), primed=True)
@example(frame=Text('{"type":"text","text":"a\\u0000b"}'), primed=False)
@example(frame=Text('{"type":"text","text":"\\ud800"}'), primed=False)
def test_every_control_frame_gets_the_documented_verdict(frame: Text, primed: bool) -> None:
    prior = START if primed else None
    assert _verdict(frame.raw, prior) == _expected(frame.raw, prior)
