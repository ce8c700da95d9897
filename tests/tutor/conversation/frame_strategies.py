"""Hypothesis strategies for conversation-socket frames: careless and hostile control messages,
valid starts in every format, raw and quiet binary frames, and whole sessions. What the server
must do with them is the model in frame_model.py."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from tests.tutor.conversation.frame_model import OPUS_RATES, TYPES, Quiet, Raw, Text

# Numbers a careless client might send where an integer is expected.
numbers = st.one_of(
    st.integers(),
    st.sampled_from([8000, 16000, 44100, 48000, 96000, 7999, 96001, 0, -1, 2**63, 10**30]),
    st.sampled_from([48000.0, 16000.5, 1.0, 2.0, 1e300, -0.0]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=20))
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
field_values = st.one_of(
    scalars,
    st.sampled_from(["f32", "s16", "F32", "mp3", "", "start", "opus", "pcm"]),
    st.sampled_from([1, 2, 1.0, 2.0, 0, 3, True]),
    json_values,
)
typed_text = st.one_of(
    st.text(min_size=1, max_size=40),
    st.sampled_from(["   ", "\x00", "hola\x00", "\ud800", "a" * 1000, "a" * 1001, " ¿Qué tal? "]),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=995, max_size=1010),
)


@st.composite
def messages(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from([*TYPES, "shout", "START", "", None, 5, ["start"]]))
    message: dict[str, Any] = {"type": kind}
    if kind == "start" and draw(st.booleans()):
        message.update(sampleRate=draw(numbers), format=draw(field_values))
    if kind == "start" and draw(st.booleans()):
        message["codec"] = draw(st.sampled_from(["opus", "pcm", "OPUS", 1]))
    if kind == "text" and draw(st.booleans()):
        message["text"] = draw(typed_text)
    extra = draw(
        st.dictionaries(
            st.sampled_from(
                ["sampleRate", "format", "channels", "codec", "outputCodec", "text", "extra"]
            ),
            field_values,
            max_size=2,
        )
    )
    return {**message, **extra} if draw(st.integers(0, 3)) == 0 else message


pcm_starts = st.builds(
    lambda rate, fmt, channels: {
        "type": "start",
        "sampleRate": rate,
        "format": fmt,
        "channels": channels,
    },
    st.sampled_from([8000, 16000, 22050, 44100, 48000, 96000]),
    st.sampled_from(["f32", "s16"]),
    st.sampled_from([1, 2]),
)
opus_starts = st.builds(
    lambda rate, output: {"type": "start", "sampleRate": rate, "codec": "opus", **output},
    st.sampled_from(OPUS_RATES),
    st.sampled_from([{}, {"outputCodec": "pcm"}, {"outputCodec": "opus"}]),
)
valid_starts = st.one_of(pcm_starts, pcm_starts, opus_starts)
valid_texts = st.builds(
    lambda text: {"type": "text", "text": text}, st.text(min_size=1, max_size=30)
)
simple = st.sampled_from([{"type": "ping"}, {"type": "pause"}, {"type": "end"}])

text_frames = st.one_of(
    st.text(max_size=60),  # mostly not JSON at all
    json_values.map(json.dumps),
    messages().map(json.dumps),
    valid_starts.map(json.dumps),
    valid_texts.map(json.dumps),
    simple.map(json.dumps),
    st.sampled_from(
        [
            '{"type":"text","text":"' + "x" * 5000 + '"}',  # over the 4 kB control limit
            '{"type":"start","sampleRate":1' + "0" * 400 + ',"format":"s16"}',  # a huge number
            "[" * 3000 + "]" * 3000,  # deep nesting
            '{"type":"start","sampleRate":NaN,"format":"s16"}',
            '{"type":"text","text":"\\ud800"}',  # a lone surrogate, escaped
        ]
    ),
).map(Text)
binary_frames = st.one_of(
    st.binary(max_size=64).map(Raw),
    st.integers(min_value=0, max_value=50_000).map(Quiet),
    st.sampled_from([1, 2, 3, 4, 5, 6, 7, 8, 960, 961, 1920, 3840, 23_040, 23_041]).map(Quiet),
)
frames = st.lists(st.one_of(text_frames, binary_frames), min_size=1, max_size=8)
# Most random sequences die on their first frame; a valid start in front (two times in three)
# lets the rest reach the audio path and the running tutor.
sessions = st.builds(
    lambda start, rest: [Text(json.dumps(start))] * (start is not None) + rest,
    st.one_of(st.none(), valid_starts, valid_starts),
    frames,
)
