from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import soxr
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.audio import decode, encode, silence, speechlike, stereo, tone, tone_array
from tutor.audio.resample import (
    AudioFormatError,
    InputResampler,
    float32_to_pcm16,
    is_silence,
    pcm16_to_float32,
    rms,
    rms_dbfs,
)

RATES = [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 96000]
BYTES_PER_SAMPLE = {"s16": 2, "f32": 4}


def stream(resampler: InputResampler, data: bytes, cuts: list[int]) -> np.ndarray:
    """Feed `data` cut at the given byte offsets, flush, and return int16 samples as float."""
    bounds = [0, *cuts, len(data)]
    out = [resampler.process(data[a:b]) for a, b in itertools.pairwise(bounds)]
    return np.frombuffer(b"".join(out) + resampler.flush(), "<i2").astype(np.float64)


def chunked(data: bytes, fmt: str, rate: int, ms: int, channels: int = 1) -> list[int]:
    step = rate * ms // 1000 * BYTES_PER_SAMPLE[fmt] * channels
    return list(range(step, len(data), step))


def oneshot(data: bytes, fmt: str, rate: int) -> np.ndarray:
    """soxr.resample of the whole signal to 16 kHz, unquantized, in int16 units."""
    return soxr.resample(decode(data, fmt), rate, 16000) * 32768


def error_db(ours: np.ndarray, reference: np.ndarray) -> float:
    """Energy of the difference relative to the reference's, in dB (lengths aligned)."""
    n = min(len(ours), len(reference))
    diff = ours[:n] - reference[:n]
    return 10 * math.log10(max(diff.dot(diff), 1e-30) / reference[:n].dot(reference[:n]))


def peak_hz(samples: np.ndarray, sr: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / sr)[np.argmax(spectrum)])


def test_it_resamples_48k_to_16k() -> None:
    out = stream(InputResampler(in_rate=48000, fmt="s16"), tone(440, 1.0, 48000), [])
    assert len(out) == 16000
    assert peak_hz(out, 16000) == pytest.approx(440, abs=1)


@pytest.mark.parametrize("fmt", ["s16", "f32"])
@pytest.mark.parametrize("rate", RATES)
def test_a_tone_keeps_its_frequency_and_length_at_every_rate(rate: int, fmt: str) -> None:
    data = tone(1000, 0.5, rate, fmt)
    out = stream(InputResampler(in_rate=rate, fmt=fmt), data, chunked(data, fmt, rate, 20))
    assert abs(len(out) - 8000) <= 1
    assert peak_hz(out, 16000) == pytest.approx(1000, abs=2)


@pytest.mark.parametrize("ms", [10, 20, 40])
@pytest.mark.parametrize("rate", [8000, 44100, 48000])
def test_f32_streaming_equals_oneshot_within_90_db(rate: int, ms: int) -> None:
    data = speechlike(1.0, rate, "f32")
    out = stream(InputResampler(in_rate=rate, fmt="f32"), data, chunked(data, "f32", rate, ms))
    quantized = decode(encode(oneshot(data, "f32", rate) / 32768), "s16") * 32768
    assert error_db(out, quantized) < -90
    assert len(out) == len(quantized)


@pytest.mark.parametrize("ms", [10, 20, 40])
@pytest.mark.parametrize("rate", [8000, 44100, 48000])
def test_s16_streaming_equals_oneshot_within_90_db(rate: int, ms: int) -> None:
    # libsoxr's int16 output adds TPDF dither (0.5 LSB RMS), so a loud tone shows -90 dB.
    data = tone(440, 1.0, rate, "s16", amp=0.9)
    out = stream(InputResampler(in_rate=rate, fmt="s16"), data, chunked(data, "s16", rate, ms))
    assert error_db(out, oneshot(data, "s16", rate)) < -90
    assert len(out) == 16000


@pytest.mark.parametrize("ms", [10, 20, 40])
def test_s16_streaming_of_speech_differs_from_oneshot_only_by_dither(ms: int) -> None:
    data = speechlike(1.0, 48000, "s16")
    out = stream(InputResampler(in_rate=48000, fmt="s16"), data, chunked(data, "s16", 48000, ms))
    diff = out - oneshot(data, "s16", 48000)
    assert math.sqrt(diff.dot(diff) / len(diff)) < 0.6
    assert np.abs(diff).max() < 2


@settings(max_examples=25, deadline=None)
@given(
    fmt=st.sampled_from(["s16", "f32"]),
    rate=st.sampled_from(RATES),
    cuts=st.lists(st.integers(0, 4800), max_size=12),
)
def test_no_sample_is_lost_or_duplicated_at_any_chunking(
    fmt: str, rate: int, cuts: list[int]
) -> None:
    data = speechlike(0.3, rate, fmt)
    frames = len(data) // BYTES_PER_SAMPLE[fmt]
    offsets = sorted({c * rate // 16000 % frames * BYTES_PER_SAMPLE[fmt] for c in cuts})
    out = stream(InputResampler(in_rate=rate, fmt=fmt), data, offsets)
    reference = oneshot(data, fmt, rate)
    assert abs(len(out) - frames * 16000 / rate) <= 1
    n = min(len(out), len(reference))
    if fmt == "f32":
        assert error_db(out, np.rint(reference)) < -90
    else:
        assert np.abs(out[:n] - reference[:n]).max() < 2


def test_one_sample_chunks_lose_nothing() -> None:
    data = tone(440, 0.05, 44100)
    out = stream(InputResampler(in_rate=44100, fmt="s16"), data, list(range(2, len(data), 2)))
    assert abs(len(out) - 0.05 * 16000) <= 1
    assert np.abs(out - oneshot(data, "s16", 44100)).max() < 2


@pytest.mark.parametrize("fmt", ["s16", "f32"])
def test_stereo_with_equal_channels_equals_mono(fmt: str) -> None:
    x = tone_array(440, 0.5, 48000)
    mono = stream(InputResampler(in_rate=48000, fmt=fmt), encode(x, fmt), [])
    both = stream(InputResampler(in_rate=48000, fmt=fmt, channels=2), stereo(x, x, fmt), [])
    assert np.abs(mono - both).max() <= 2


@pytest.mark.parametrize("fmt", ["s16", "f32"])
def test_stereo_is_downmixed_to_the_mean_of_both_channels(fmt: str) -> None:
    x = tone_array(440, 0.5, 48000)
    opposite = stereo(x, -x, fmt)
    one_side = stereo(x, np.zeros_like(x), fmt)
    cuts = chunked(opposite, fmt, 48000, 20, channels=2)
    cancelled = stream(InputResampler(in_rate=48000, fmt=fmt, channels=2), opposite, cuts)
    halved = stream(InputResampler(in_rate=48000, fmt=fmt, channels=2), one_side, cuts)
    assert len(cancelled) == len(halved) == 8000
    assert np.abs(cancelled).max() <= 2
    assert rms_dbfs(encode(halved / 32768)) == pytest.approx(
        rms_dbfs(tone(440, 0.5, 48000)) - 6.02, abs=0.1
    )


@pytest.mark.parametrize("rate", [8000, 44100, 48000])
def test_f32_and_s16_give_the_same_result(rate: int) -> None:
    x = tone_array(440, 1.0, rate)
    from_f32 = stream(InputResampler(in_rate=rate, fmt="f32"), encode(x, "f32"), [])
    from_s16 = stream(InputResampler(in_rate=rate, fmt="s16"), encode(x, "s16"), [])
    assert len(from_f32) == len(from_s16)
    assert error_db(from_s16, from_f32) < -80


def test_f32_is_rounded_not_truncated() -> None:
    data = tone(440, 1.0, 48000, "f32")
    out = stream(InputResampler(in_rate=48000, fmt="f32"), data, chunked(data, "f32", 48000, 20))
    # Rounding error alone sits ~92 dB below a -9 dBFS tone; truncation would show ~-86 dB.
    assert error_db(out, oneshot(data, "f32", 48000)) < -90


def test_loud_f32_input_is_clipped_not_wrapped() -> None:
    data = tone(440, 0.2, 48000, "f32", amp=1.5)
    out = stream(InputResampler(in_rate=48000, fmt="f32"), data, [])
    assert out.max() == 32767
    assert out.min() == -32768
    assert peak_hz(out, 16000) == pytest.approx(440, abs=5)


def test_empty_input_gives_empty_output() -> None:
    resampler = InputResampler(in_rate=48000, fmt="f32", channels=2)
    assert resampler.process(b"") == b""
    assert resampler.flush() == b""


def test_flush_starts_a_fresh_stream() -> None:
    resampler = InputResampler(in_rate=44100, fmt="f32")
    data = tone(440, 0.3, 44100, "f32")
    first = stream(resampler, data, chunked(data, "f32", 44100, 20))
    second = stream(resampler, data, chunked(data, "f32", 44100, 20))
    assert np.array_equal(first, second)


def test_its_format_is_readable() -> None:
    resampler = InputResampler(in_rate=44100, fmt="s16", channels=2)
    assert (resampler.in_rate, resampler.fmt, resampler.channels) == (44100, "s16", 2)
    assert resampler.out_rate == 16000


@pytest.mark.parametrize(
    ("fmt", "channels", "size", "message"),
    [
        ("s16", 1, 3, "got 3 bytes of s16 mono audio; the length must be a multiple of 2 bytes"),
        ("s16", 2, 6, "got 6 bytes of s16 stereo audio; the length must be a multiple of 4 bytes"),
        ("f32", 1, 6, "got 6 bytes of f32 mono audio; the length must be a multiple of 4 bytes"),
        (
            "f32",
            2,
            12,
            "got 12 bytes of f32 stereo audio; the length must be a multiple of 8 bytes",
        ),
    ],
)
def test_it_rejects_partial_samples(fmt: str, channels: int, size: int, message: str) -> None:
    resampler = InputResampler(in_rate=48000, fmt=fmt, channels=channels)  # type: ignore[arg-type]
    with pytest.raises(AudioFormatError, match=message):
        resampler.process(bytes(size))


@pytest.mark.parametrize(("bad", "count"), [([math.nan], 1), ([math.inf, -math.inf, math.nan], 3)])
def test_it_rejects_nan_and_infinity_in_f32(bad: list[float], count: int) -> None:
    data = np.concatenate([tone_array(440, 0.02, 48000), bad]).astype("<f4").tobytes()
    resampler = InputResampler(in_rate=48000, fmt="f32")
    message = f"f32 audio contains {count} NaN or infinite samples"
    with pytest.raises(AudioFormatError, match=message):
        resampler.process(data)
    good = tone(440, 0.3, 48000, "f32")
    fresh = InputResampler(in_rate=48000, fmt="f32")
    assert resampler.process(good) == fresh.process(good)  # the bad chunk never reached soxr


# Squaring 3e38 overflows inside the cheap check; numpy says so before we raise.
@pytest.mark.filterwarnings("ignore:overflow encountered in dot:RuntimeWarning")
def test_it_rejects_absurdly_large_f32_samples() -> None:
    data = np.array([0.1, 3e38, 0.2, 0.1], "<f4").tobytes()
    with pytest.raises(AudioFormatError, match=r"must lie roughly within \[-1, 1\]"):
        InputResampler(in_rate=48000, fmt="f32").process(data)


@pytest.mark.parametrize("rate", [0, 7999, 96001, 192000, -48000, 44100.0, "48000", True, None])
def test_it_rejects_absurd_rates(rate: object) -> None:
    with pytest.raises(
        AudioFormatError, match="sample rate must be an integer from 8000 to 96000 Hz"
    ):
        InputResampler(in_rate=rate, fmt="s16")  # type: ignore[arg-type]


@pytest.mark.parametrize("channels", [0, 3, 6, True])
def test_it_rejects_channel_counts_other_than_one_or_two(channels: int) -> None:
    with pytest.raises(AudioFormatError, match=f"channels must be 1 or 2, got {channels!r}"):
        InputResampler(in_rate=48000, fmt="s16", channels=channels)


@pytest.mark.parametrize("fmt", ["s24", "F32", "", "pcm"])
def test_it_rejects_unknown_formats(fmt: str) -> None:
    with pytest.raises(AudioFormatError, match="audio format must be 'f32' or 's16'"):
        InputResampler(in_rate=48000, fmt=fmt)  # type: ignore[arg-type]


def test_it_detects_a_rate_change_mid_stream() -> None:
    resampler = InputResampler(in_rate=48000, fmt="f32")
    resampler.check_rate(48000)
    with pytest.raises(
        AudioFormatError, match="sample rate changed mid-stream from 48000 to 44100 Hz"
    ):
        resampler.check_rate(44100)


def test_it_detects_a_format_change_mid_stream() -> None:
    resampler = InputResampler(in_rate=48000, fmt="f32")
    resampler.check_format(in_rate=48000, fmt="f32", channels=1)
    with pytest.raises(AudioFormatError, match="from f32/1 ch to s16/1 ch"):
        resampler.check_format(in_rate=48000, fmt="s16")
    with pytest.raises(AudioFormatError, match="sample rate changed mid-stream"):
        resampler.check_format(in_rate=16000, fmt="f32")


def test_audio_format_errors_are_value_errors() -> None:
    assert issubclass(AudioFormatError, ValueError)


def test_pcm16_to_float32_scales_by_32768() -> None:
    x = pcm16_to_float32(np.array([0, 16384, -32768, 32767], "<i2").tobytes())
    assert x.dtype == np.float32
    assert x.tolist() == [0.0, 0.5, -1.0, 32767 / 32768]


def test_pcm16_to_float32_rejects_odd_byte_counts() -> None:
    with pytest.raises(AudioFormatError, match="multiple of 2 bytes"):
        pcm16_to_float32(b"\x00\x00\x00")


def test_float32_to_pcm16_rounds_and_clips() -> None:
    x = np.array(
        [0.0, 0.5, -1.0, 1.0, 2.5, -7.0, 1.4 / 32768, 1.6 / 32768, -1.6 / 32768], np.float32
    )
    out = np.frombuffer(float32_to_pcm16(x), "<i2").tolist()
    assert out == [0, 16384, -32768, 32767, 32767, -32768, 1, 2, -2]


def test_float32_to_pcm16_round_trips_every_int16_value() -> None:
    every = np.arange(-32768, 32768, dtype="<i2").tobytes()
    assert float32_to_pcm16(pcm16_to_float32(every)) == every


def test_float32_to_pcm16_leaves_its_input_alone() -> None:
    x = np.array([0.25, 3.0], np.float32)
    float32_to_pcm16(x)
    assert x.tolist() == [0.25, 3.0]


def test_float32_to_pcm16_rejects_nan() -> None:
    with pytest.raises(AudioFormatError, match="1 NaN or infinite"):
        float32_to_pcm16(np.array([0.0, math.nan], np.float32))


def test_rms_is_a_fraction_of_full_scale() -> None:
    square = np.tile(np.array([32767, -32768], "<i2"), 100).tobytes()
    assert rms(square) == pytest.approx(1.0, abs=1e-4)
    assert rms(tone(440, 1.0, 16000, amp=0.5)) == pytest.approx(0.5 / math.sqrt(2), rel=1e-3)
    assert rms(b"") == 0.0


def test_rms_dbfs_of_a_half_scale_sine_is_minus_9() -> None:
    assert rms_dbfs(tone(440, 1.0, 16000, amp=0.5)) == pytest.approx(-9.03, abs=0.01)
    assert rms_dbfs(silence(0.1, 16000)) == -math.inf


def test_is_silence_compares_the_level_with_a_threshold() -> None:
    assert is_silence(silence(0.02, 16000))
    assert is_silence(b"")
    assert is_silence(tone(440, 0.02, 16000, amp=0.001))  # -63 dBFS
    assert not is_silence(tone(440, 0.02, 16000, amp=0.01))  # -43 dBFS
    assert is_silence(tone(440, 0.02, 16000, amp=0.01), threshold_dbfs=-40)
