"""Client factory, connect config and failure classification for the Live bridge."""

from __future__ import annotations

import pytest
from google.genai import errors, types
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosedError, InvalidStatus
from websockets.frames import Close
from websockets.http11 import Response

from tutor.live.config import LiveSettings, classify, connect_config, make_client

SETTINGS = LiveSettings(model="m", system_instruction="s", voice="Puck")


def test_the_client_speaks_v1beta_the_only_version_serving_live() -> None:
    client = make_client(api_key="k", base_url="https://127.0.0.1:9")
    options = client._api_client._http_options
    assert (options.api_version, options.base_url) == ("v1beta", "https://127.0.0.1:9")


def test_a_resumed_connection_asks_for_its_handle_and_no_tools_means_none() -> None:
    config = connect_config(SETTINGS, "h7")
    assert config.session_resumption == types.SessionResumptionConfig(handle="h7")
    assert config.tools is None
    assert config.speech_config.language_code is None  # native audio picks the language


@pytest.mark.parametrize(
    ("exc", "fatal", "code"),
    [
        (errors.APIError(1011, "Internal error encountered."), False, "close_1011"),
        (errors.APIError(1006, "abnormal closure [internal]"), False, "close_1006"),
        (errors.APIError(1000, ""), False, "close_1000"),
        (errors.APIError(1008, "API key not valid."), True, "upstream_auth"),
        (errors.APIError(1008, "Operation is not implemented"), True, "upstream_config"),
        (errors.APIError(1011, "generic::resource_exhausted: RESOURCE_EXHAUSTED"), True,
         "upstream_quota"),
        (InvalidStatus(Response(404, "Not Found", Headers())), True, "upstream_config"),
        (InvalidStatus(Response(502, "Bad Gateway", Headers())), False, "http_502"),
        (ConnectionClosedError(None, None), False, "close_1006"),
        (ConnectionClosedError(Close(1011, "Internal"), None), False, "close_1011"),
        (ConnectionClosedError(Close(1007, "media_chunks is deprecated"), None), True,
         "upstream_config"),
        (TimeoutError(), False, "timeout"),
        (ConnectionRefusedError(), False, "network"),
    ],
)  # fmt: skip
def test_it_classifies_failures_as_retryable_or_fatal(
    exc: BaseException, fatal: bool, code: str
) -> None:
    failure = classify(exc)
    assert (failure.fatal, failure.code) == (fatal, code)


def test_classified_messages_hide_the_key() -> None:
    failure = classify(errors.APIError(1007, "bad request for key sk-123"), secret="sk-123")
    assert "sk-123" not in failure.message
