"""How the emulator "hears": it recognises only its own voice saying a text it was told about.

The emulator has no speech recogniser. When a request carries audio and names some texts (the
drill judge quotes the card's expected answer and what the learner might say instead), it
synthesises each text with its own espeak-ng voice (`voice.synthesize`) and compares that
with the audio: cepstral features with a spectral floor and mean normalisation, aligned by
dynamic time warping. The closest text is "heard" if its distance is under `MAX_DISTANCE` and
clearly closer than the next one; otherwise nothing is heard. So a test (or the demo) that
speaks one of those texts with the emulator's voice, through a browser microphone or not, is
heard; a human voice, or a text it was not told about, is not. See docs/gemini-live.md §11.

Calibration (tests/tutor/emulator/test_hearing.py): the same text spoken at another pace,
louder, quieter or with noise lands under 2.5; different texts, even one word apart
("Tengo veinte años" / "Yo tengo veinte años"), stay above 3.7.
"""

from __future__ import annotations

import functools

import numpy as np
import soxr

from tutor.emulator.voice import synthesize

RATE = 16000
WINDOW, HOP, FFT = 400, 160, 512  # 25 ms windows every 10 ms at 16 kHz
MEL_BANDS, CEPSTRA = 26, 13
FLOOR_DB = -30.0  # spectral floor under the loudest band: noise below it does not count
MAX_DISTANCE = 3.0  # mean per-frame distance along the alignment path
MARGIN = 0.75  # the best text must be this much closer than the runner-up
TRIM_DB = -26.0  # frames quieter than this under the loudest are leading/trailing silence


def recognise(pcm: bytes, rate: int, texts: list[str], language: str) -> str:
    """The text of `texts` that the int16 mono `pcm` at `rate` Hz says in the emulator's voice
    for `language`, or "" when none is close enough."""
    heard = _features(_to_16k(pcm, rate))
    if len(heard) < 5:  # under 50 ms of sound: nothing said
        return ""
    unique = dict.fromkeys(text.strip() for text in texts if text.strip())
    scored = sorted((distance(heard, _voice_features(text, language)), text) for text in unique)
    if not scored or scored[0][0] > MAX_DISTANCE:
        return ""
    if len(scored) > 1 and scored[0][0] > MARGIN * scored[1][0]:
        return ""  # two texts fit about as well: no honest answer
    return scored[0][1]


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Dynamic time warping between two feature sequences: the cheapest path's cost divided
    by the sequences' total length. Rows of the cumulative cost are computed whole: the
    horizontal step x[j] = c[j] + min(up[j], x[j-1]) unrolls to a running minimum."""
    if not len(a) or not len(b):
        return float("inf")
    cost = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
    previous = np.concatenate([[0.0], np.full(len(b), np.inf)])
    for row in cost:
        up = np.minimum(previous[:-1], previous[1:])  # diagonal or vertical step
        sums = np.cumsum(row)
        before = np.concatenate([[0.0], sums[:-1]])
        previous = np.concatenate([[np.inf], sums + np.minimum.accumulate(up - before)])
    return float(previous[-1] / (len(a) + len(b)))


@functools.lru_cache(maxsize=64)
def _voice_features(text: str, language: str) -> np.ndarray:
    pcm = np.frombuffer(synthesize(text, language, RATE), dtype=np.int16)
    return _features(pcm)


def _to_16k(pcm: bytes, rate: int) -> np.ndarray:
    samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype=np.int16)
    if rate == RATE or not samples.size:
        return samples
    return soxr.resample(samples, rate, RATE).astype(np.int16)


def _features(samples: np.ndarray) -> np.ndarray:
    """Mean-normalised cepstra (without c0) of the sound between leading and trailing quiet."""
    x = _trim(samples.astype(np.float64) / 32768.0)
    count = 1 + (len(x) - WINDOW) // HOP
    if count <= 0:
        return np.zeros((0, CEPSTRA - 1))
    frames = np.lib.stride_tricks.sliding_window_view(x, WINDOW)[::HOP][:count]
    power = np.abs(np.fft.rfft(frames * np.hamming(WINDOW), FFT)) ** 2
    mel = power @ _MEL.T
    logs = np.log(mel + mel.max() * 10 ** (FLOOR_DB / 10) + 1e-12)
    cepstra = (logs @ _DCT.T)[:, 1:]
    return cepstra - cepstra.mean(axis=0)


def _trim(x: np.ndarray) -> np.ndarray:
    step = RATE // 50  # 20 ms
    count = len(x) // step
    if not count:
        return x[:0]
    energy = np.sqrt((x[: count * step].reshape(count, step) ** 2).mean(axis=1))
    loud = np.nonzero(energy > max(energy.max() * 10 ** (TRIM_DB / 20), 1e-3))[0]
    if not len(loud):
        return x[:0]
    return x[loud[0] * step : (loud[-1] + 1) * step]


def _mel_filters() -> np.ndarray:
    def to_mel(hz: np.ndarray) -> np.ndarray:
        return 2595 * np.log10(1 + hz / 700)

    edges = np.linspace(to_mel(np.array(80.0)), to_mel(np.array(7600.0)), MEL_BANDS + 2)
    bins = np.floor((FFT + 1) * 700 * (10 ** (edges / 2595) - 1) / RATE).astype(int)
    filters = np.zeros((MEL_BANDS, FFT // 2 + 1))
    for band in range(MEL_BANDS):
        low, centre, high = bins[band : band + 3]
        filters[band, low:centre] = (np.arange(low, centre) - low) / max(1, centre - low)
        filters[band, centre:high] = (high - np.arange(centre, high)) / max(1, high - centre)
    return filters


def _dct() -> np.ndarray:
    k = np.arange(CEPSTRA)[:, None]
    n = np.arange(MEL_BANDS)[None, :]
    return np.cos(np.pi * k * (2 * n + 1) / (2 * MEL_BANDS))


_MEL = _mel_filters()
_DCT = _dct()
