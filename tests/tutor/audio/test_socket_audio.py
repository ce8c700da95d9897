"""tutor/audio/socket_audio.py and tutor/audio/opus_framing.py: codec negotiation, bundles,
limits, and the encoder's behaviour at turn ends and barge-ins."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.audio import silence, speechlike, tone, unbundle
from tutor.audio import socket_audio
from tutor.audio.frames import FrameError, Start
from tutor.audio.opus import OpusDecoder, OpusEncoder
from tutor.audio.opus_framing import opus_bundle, opus_packet_ms, split_opus_bundle
from tutor.conversation import protocol


def start(**message: object) -> Start:
    raw = json.dumps({"type": "start", **message})
    return protocol.parse_start(protocol.parse_text_frame(raw))


def packets_of(pcm: bytes, rate: int = 48000) -> list[bytes]:
    encoder = OpusEncoder(rate=rate)
    return encoder.encode(pcm)


def level(pcm: bytes) -> float:
    x = np.frombuffer(pcm, "<i2").astype(np.float64)
    return float(np.sqrt(np.mean(x**2)) / 32768) if len(x) else 0.0


def test_a_start_without_codec_is_pcm_both_ways() -> None:
    declared = start(sampleRate=48000, format="s16")
    assert (declared.codec, declared.output_codec) == ("pcm", "pcm")


def test_an_opus_start_needs_no_format_and_sends_opus_back() -> None:
    declared = start(sampleRate=48000, codec="opus")
    assert (declared.codec, declared.output_codec, declared.format) == ("opus", "opus", "s16")


def test_the_output_codec_can_differ_from_the_input_codec() -> None:
    declared = start(sampleRate=24000, codec="opus", outputCodec="pcm")
    assert (declared.codec, declared.output_codec) == ("opus", "pcm")


@pytest.mark.parametrize(
    "message",
    [
        {"sampleRate": 44100, "codec": "opus"},  # not a rate Opus encodes at
        {"sampleRate": 48000, "codec": "flac"},
        {"sampleRate": 48000, "format": "opus"},  # an Opus format needs the Opus codec
        {"sampleRate": 48000},  # PCM needs its format
        {"sampleRate": 48000, "format": "s16", "outputCodec": "mp3"},
    ],
)
def test_it_refuses_impossible_codec_declarations(message: dict[str, object]) -> None:
    with pytest.raises(FrameError) as info:
        start(**message)
    assert info.value.problem == "malformed"


def test_a_bundle_splits_into_the_packets_it_was_made_of() -> None:
    packets = packets_of(speechlike(0.04, 48000))
    assert len(packets) == 2
    declared = start(sampleRate=48000, codec="opus")
    assert split_opus_bundle(declared, opus_bundle(packets)) == packets


def test_packet_durations_come_from_the_toc_byte() -> None:
    for frame_ms in (10, 20, 40, 60):
        encoder = OpusEncoder(rate=48000, frame_ms=frame_ms)
        (packet,) = encoder.encode(tone(300, frame_ms / 1000, 48000))
        assert opus_packet_ms(packet) == frame_ms


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\x05", "malformed"),  # half a length prefix
        (b"\x05\x00abc", "malformed"),  # shorter than its prefix says
        (b"\x00\x00", "malformed"),  # an empty packet
        (b"\x02\x00\x03\x00", "malformed"),  # code 3 with zero frames
        (b"\x01\x00\x03", "malformed"),  # code 3 without its frame-count byte
        (b"\x02\x00\x1b\x03", "malformed"),  # 3 x 60 ms in one packet: over Opus's 120 ms
        (opus_bundle([b"\x08\x01"] * 7), "too_large"),  # 7 x 20 ms: over 120 ms
        (opus_bundle([b"\x18\x01"] * 2) + b"\x00" * 4000, "too_large"),  # over the byte ceiling
    ],
    ids=["prefix", "truncated", "empty", "no-frames", "no-count", "long-packet", "long", "big"],
)
def test_it_refuses_malformed_or_oversized_bundles(data: bytes, problem: str) -> None:
    with pytest.raises(FrameError) as info:
        split_opus_bundle(start(sampleRate=48000, codec="opus"), data)
    assert info.value.problem == problem


def test_opus_before_start_is_refused() -> None:
    with pytest.raises(FrameError) as info:
        split_opus_bundle(None, opus_bundle([b"\x08\x01"]))
    assert info.value.problem == "malformed"


def test_opus_in_decodes_to_16k_pcm() -> None:
    inbound = socket_audio.inbound(
        start(sampleRate=48000, codec="opus"), max_bytes_per_second=10**6
    )
    speech = speechlike(1.0, 48000)
    packets = packets_of(speech)
    pcm = b"".join(inbound.to_16k(opus_bundle(packets[i : i + 2])) for i in range(0, 50, 2))
    assert 0.9 * 32000 < len(pcm) <= 32000  # a second at 16 kHz, less the resampler's delay
    assert level(pcm) == pytest.approx(level(speech), rel=0.35)


def test_opus_in_limits_audio_time_not_bytes() -> None:
    # 96,000 bytes/s is one second of 48 kHz s16 a second; Opus gets the same audio time.
    inbound = socket_audio.inbound(
        start(sampleRate=48000, codec="opus"), max_bytes_per_second=96000
    )
    packets = packets_of(silence(3.0, 48000))
    bundles = [opus_bundle(packets[i : i + 5]) for i in range(0, len(packets), 5)]
    with pytest.raises(FrameError) as info:
        for bundle in bundles:  # 3 s of audio at once: over the 2 s burst
            inbound.to_16k(bundle)
    assert info.value.problem == "too_fast"


def test_pcm_in_still_checks_frames_against_the_declared_format() -> None:
    inbound = socket_audio.inbound(start(sampleRate=48000, format="s16"), max_bytes_per_second=1)
    assert len(inbound.to_16k(silence(0.06, 48000))) > 0
    with pytest.raises(FrameError):
        inbound.to_16k(b"\x00" * 961)


def test_a_repeated_start_must_match_the_first() -> None:
    first = start(sampleRate=48000, codec="opus")
    socket_audio.same_format(first, start(sampleRate=48000, codec="opus"))
    with pytest.raises(FrameError):
        socket_audio.same_format(first, start(sampleRate=48000, format="s16"))


def decode_bundles(bundles: list[bytes], decoder: OpusDecoder) -> bytes:
    return b"".join(decoder.decode(p) for bundle in bundles for p in unbundle(bundle))


def test_opus_out_sends_a_turns_first_packet_alone_then_a_bundle_per_chunk() -> None:
    out = socket_audio.outbound(start(sampleRate=48000, codec="opus"))
    assert out.codec == "opus"
    chunk = speechlike(0.2, 24000)  # 200 ms, as Gemini sends
    first = list(out.frames(chunk))
    assert [[opus_packet_ms(p) for p in unbundle(b)] for b in first] == [[40], [40] * 4]
    second = list(out.frames(chunk))
    assert [[opus_packet_ms(p) for p in unbundle(b)] for b in second] == [[40] * 5]
    out.end_turn()
    again = list(out.frames(chunk))  # the next turn's first packet leaves alone again
    assert [len(unbundle(b)) for b in again] == [1, 4]


def test_the_first_packet_leaves_before_the_rest_of_its_chunk_is_encoded() -> None:
    out = socket_audio.OpusOut()
    bundles = out.frames(speechlike(0.2, 24000))
    next(bundles)
    assert out._fed == socket_audio.FRAME_BYTES  # one packet's audio given to the encoder


def test_the_end_of_a_turn_plays_out_the_partial_frame() -> None:
    out = socket_audio.OpusOut()
    bundles = list(out.frames(tone(440, 0.03, 24000)))  # three quarters of a 40 ms frame
    assert bundles == []  # it waits for the rest of its frame
    bundles += out.end_turn()
    decoded = decode_bundles(bundles, OpusDecoder(rate=48000))
    assert len(decoded) == 2 * 3840  # padded to a frame, plus one for the look-ahead
    assert level(decoded[96 * 10 : 96 * 30]) > 0.2  # 10-30 ms: the tone that was pending


def test_a_barge_in_drops_the_audio_the_encoder_held() -> None:
    out = socket_audio.OpusOut()
    decode_bundles(list(out.frames(tone(440, 0.03, 24000))), OpusDecoder(rate=48000))
    out.interrupt()  # 30 ms of tone were pending, more in the look-ahead
    # The page resets its decoder on `interrupted` too.
    after = decode_bundles(list(out.frames(silence(0.08, 24000))), OpusDecoder(rate=48000))
    assert len(after) == 2 * 3840
    assert level(after) < 0.001  # without the reset the stale tone leads (level ~0.4)


def test_pcm_out_passes_tutor_audio_through() -> None:
    out = socket_audio.outbound(start(sampleRate=48000, format="s16"))
    pcm = tone(440, 0.2, 24000)
    assert (out.codec, list(out.frames(pcm)), out.end_turn()) == ("pcm", [pcm], [])
