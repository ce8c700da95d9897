"""tutor/audio/opus.py: Opus encode and decode through PyAV."""

from __future__ import annotations

import numpy as np
import pytest

from tests.audio import speechlike, tone
from tutor.audio.opus import OpusDecoder, OpusEncoder
from tutor.audio.resample import AudioFormatError


def encode_all(pcm: bytes, piece: int = 960, **options: int) -> list[bytes]:
    encoder = OpusEncoder(**options)
    packets = [p for i in range(0, len(pcm), piece) for p in encoder.encode(pcm[i : i + piece])]
    return packets + encoder.flush()


def decode_all(packets: list[bytes], rate: int = 48000) -> np.ndarray:
    decoder = OpusDecoder(rate=rate)
    pcm = b"".join(decoder.decode(p) for p in packets) + decoder.flush()
    return np.frombuffer(pcm, "<i2")


def peak_hz(samples: np.ndarray, sr: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / sr)[np.argmax(spectrum)])


@pytest.fixture(scope="module")
def minute_of_speech() -> list[bytes]:
    return encode_all(speechlike(60.0, 24000))


@pytest.mark.parametrize("out_rate", [16000, 24000, 48000])
def test_a_tone_keeps_its_frequency_through_opus(out_rate: int) -> None:
    decoded = decode_all(encode_all(tone(440, 1.0, 24000)), out_rate)
    assert peak_hz(decoded, out_rate) == pytest.approx(440, abs=2)
    level = np.sqrt(np.mean(decoded.astype(np.float64) ** 2)) / 32768
    assert level == pytest.approx(0.5 / np.sqrt(2), rel=0.1)


def test_packets_are_about_60_bytes_at_24_kbit_s(minute_of_speech: list[bytes]) -> None:
    assert len(minute_of_speech) == 3001  # 50 a second, plus the drained look-ahead
    assert 45 < np.mean([len(p) for p in minute_of_speech]) < 85


def test_a_minute_of_speech_takes_about_a_fifth_of_a_megabyte(
    minute_of_speech: list[bytes],
) -> None:
    # 24 kbit/s is 0.18 MB a minute; VBR (WebCodecs' default too) spends 0.145-0.2 MB on
    # speech-like signals depending on the mode libopus picks, so allow 18-33 kbit/s.
    assert 135_000 <= sum(len(p) for p in minute_of_speech) <= 250_000


def test_packets_are_raw_opus_with_no_container_header() -> None:
    packets = encode_all(tone(440, 0.2, 24000))
    assert not any(p.startswith((b"OpusHead", b"OggS")) for p in packets)
    decoder = OpusDecoder(rate=48000)
    assert {len(decoder.decode(p)) for p in packets} == {960 * 2}  # each is 20 ms


@pytest.mark.parametrize("frame_ms", [10, 20, 40, 60])
def test_each_packet_holds_frame_ms_of_audio(frame_ms: int) -> None:
    packets = encode_all(tone(440, 0.6, 24000), frame_ms=frame_ms)
    assert len(packets) == 600 // frame_ms + 1
    assert len(OpusDecoder(rate=48000).decode(packets[1])) == 48 * frame_ms * 2


def test_it_buffers_a_partial_frame_until_it_is_complete() -> None:
    pcm = tone(440, 0.02, 24000)
    encoder = OpusEncoder()
    assert encoder.encode(pcm[:958]) == []
    assert len(encoder.encode(pcm[958:])) == 1


def test_the_way_pcm_is_cut_does_not_change_the_packets() -> None:
    pcm = speechlike(0.5, 24000)
    assert encode_all(pcm, piece=len(pcm)) == encode_all(pcm, piece=334)


def test_flush_pads_the_last_partial_frame_with_silence() -> None:
    pcm = tone(440, 1.01, 24000)
    packets = encode_all(pcm)
    assert len(packets) == 52  # 50 whole frames, the padded one, the look-ahead
    assert len(decode_all(packets, 24000)) >= 1.01 * 24000
    assert len(decode_all(packets, 48000)) == 52 * 960


@pytest.mark.parametrize("rate", [8000, 16000, 48000])
def test_it_encodes_at_every_opus_rate(rate: int) -> None:
    packets = encode_all(tone(440, 0.5, rate), piece=rate // 25, rate=rate)
    assert peak_hz(decode_all(packets, rate), rate) == pytest.approx(440, abs=3)


@pytest.mark.parametrize("packet", [b"", b"\xff\xff\xff\xff", b"garbage-garbage", b"\x03", b"\x0b"])
def test_the_decoder_rejects_invalid_packets_and_keeps_working(packet: bytes) -> None:
    decoder = OpusDecoder()
    with pytest.raises(AudioFormatError, match="Opus packet"):
        decoder.decode(packet)
    assert len(decoder.decode(encode_all(tone(440, 0.02, 24000))[0])) == 1920


def test_the_encoder_rejects_odd_byte_counts() -> None:
    with pytest.raises(AudioFormatError, match="multiple of 2 bytes"):
        OpusEncoder().encode(b"\x00\x00\x00")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"rate": 44100}, "Opus rate must be one of"),
        ({"frame_ms": 25}, "Opus frame must be one of"),
        ({"bitrate": 1000}, "Opus bitrate must be 6000-510000"),
    ],
)
def test_the_encoder_rejects_unsupported_settings(options: dict[str, int], message: str) -> None:
    with pytest.raises(AudioFormatError, match=message):
        OpusEncoder(**options)


def test_the_decoder_rejects_absurd_rates() -> None:
    with pytest.raises(AudioFormatError, match="Opus output rate must be an integer from 8000"):
        OpusDecoder(rate=4000)


def test_the_decoder_outputs_any_rate_for_the_same_duration() -> None:
    packets = encode_all(tone(440, 1.0, 24000))
    lengths = {rate: len(decode_all(packets, rate)) for rate in (16000, 44100, 48000)}
    assert lengths == {16000: 51 * 320, 44100: 51 * 882, 48000: 51 * 960}
