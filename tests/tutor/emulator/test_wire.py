"""Inbound normalisation and outbound shapes (tutor/emulator/wire.py)."""

from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st

from tutor.emulator.wire import b64decode, fragments, mime_rate, normalise


def test_it_camel_cases_keys_but_not_user_maps() -> None:
    message = {
        "tool_response": {
            "function_responses": [{"id": "1", "response": {"is_correct": True, "nested_key": 1}}]
        },
        "realtime_input": {"audio": {"mime_type": "audio/pcm", "data": "AA=="}},
    }
    assert normalise(message) == {
        "toolResponse": {
            "functionResponses": [{"id": "1", "response": {"is_correct": True, "nested_key": 1}}]
        },
        "realtimeInput": {"audio": {"mimeType": "audio/pcm", "data": "AA=="}},
    }


def test_it_keeps_schema_property_names() -> None:
    schema = {
        "parameters": {"properties": {"word_list": {"min_items": 1}}, "property_ordering": []}
    }
    assert normalise(schema) == {
        "parameters": {"properties": {"word_list": {"min_items": 1}}, "propertyOrdering": []}
    }


@given(st.binary(max_size=64))
def test_it_decodes_urlsafe_and_standard_base64_with_or_without_padding(data: bytes) -> None:
    for encoded in (base64.b64encode(data), base64.urlsafe_b64encode(data)):
        text = encoded.decode()
        assert b64decode(text) == data
        assert b64decode(text.rstrip("=")) == data


def test_it_reads_the_rate_from_the_mime_type() -> None:
    assert mime_rate("audio/pcm;rate=48000") == 48000
    assert mime_rate("audio/pcm; rate = 8000") == 8000
    assert mime_rate("audio/pcm") == 16000


@given(st.text(max_size=80), st.integers(min_value=1, max_value=30))
def test_fragments_join_back_into_the_text(text: str, count: int) -> None:
    pieces = fragments(text, count)
    assert "".join(pieces) == text.strip()
    assert len(pieces) <= count


def test_fragments_carry_leading_spaces_and_split_japanese_at_clauses() -> None:
    assert fragments("Hola, ¿qué tal?", 3) == ["Hola,", " ¿qué", " tal?"]
    assert fragments("はい、元気です。日本語が好きです。", 3) == [
        "はい、",
        "元気です。",
        "日本語が好きです。",
    ]
