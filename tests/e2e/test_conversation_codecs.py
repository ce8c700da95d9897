"""Opus on the wire in Chromium, and the PCM fallback without WebCodecs (the `codec` fixture
runs each test both ways): the page says what it negotiated, the server agrees, the tutor's
voice plays, and Opus is the far smaller stream."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.e2e.browser import WAIT_MS, debug_state, wait_for_reply_to_learner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SENTENCE = "Hoy estoy muy cansado, trabajé mucho en la oficina."
PCM_FRAME_BYTES = 1920  # 20 ms of 48 kHz PCM16, what the page sends without Opus


def test_the_page_speaks_the_codec_its_browser_supports(
    speaking: Callable[..., Page], codec: str
) -> None:
    page = speaking(SENTENCE, 2.5)
    wait_for_reply_to_learner(page)
    page.wait_for_function("() => window.tertulia.playedSamples > 24000", timeout=WAIT_MS)
    state = debug_state(page)
    assert (state["codec"], state["outputCodec"]) == (codec, codec)
    assert state["capturedFrames"] > 100  # over two seconds of microphone audio went out
    per_frame = state["bytesSent"] / state["capturedFrames"]
    if codec == "opus":
        assert per_frame < PCM_FRAME_BYTES / 10  # 16 kbit/s is ~40 bytes per 20 ms of speech
        # The fake microphone sends zeros before and after the sentence: the encoder skipped
        # those frames (DTX), and the turn still ended (above) on the silence the server fed.
        assert state["skippedFrames"] > state["capturedFrames"] / 4
    else:
        assert per_frame == PCM_FRAME_BYTES
    # The tutor's voice played from what arrived: at least a second at 24 kHz.
    assert state["playedSamples"] > 24000
    assert state["bytesReceived"] > 0
