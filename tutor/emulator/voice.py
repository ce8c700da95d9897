"""Text to speech for the emulator: libespeak-ng (from the espeakng-loader wheel) via ctypes.

Synthesis runs in memory with AUDIO_OUTPUT_SYNCHRONOUS and a callback that collects int16
samples at espeak's native rate (22,050 Hz), then soxr resamples to the rate the caller asks for.
If the library cannot be loaded the emulator still works: it speaks a tone pattern instead and
logs one warning.

Gemini's 30 prebuilt voices each get an espeak-ng variant and a base pitch of their own
(`PROFILES`), so two voices in one language never sound the same. The language's own espeak
voice, unchanged, stands for the prebuilt voice Tertulia uses for that language by default
(`PLAIN`): what the emulator said before it told voices apart, and what its "hearing"
(hearing.py) compares recordings with, stays as it was.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import threading

import numpy as np
import soxr

log = logging.getLogger(__name__)

VOICES = {"es": "es", "fr": "fr", "de": "de", "it": "it", "pt": "pt", "ja": "ja", "en": "en"}
# Prebuilt voice -> (espeak-ng variant, base pitch 0-100). Google's voice names; the pairs are
# all different, so no two prebuilt voices are spoken alike (tests/tutor/emulator/test_voices.py).
PROFILES: dict[str, tuple[str, int]] = {
    "Zephyr": ("f1", 60),
    "Puck": ("m3", 65),
    "Charon": ("m1", 30),
    "Kore": ("f2", 50),
    "Fenrir": ("m4", 72),
    "Leda": ("f3", 80),
    "Orus": ("m2", 35),
    "Aoede": ("f4", 50),
    "Callirrhoe": ("f5", 60),
    "Autonoe": ("f1", 85),
    "Enceladus": ("whisper", 45),
    "Iapetus": ("m5", 45),
    "Umbriel": ("m6", 35),
    "Algieba": ("m7", 48),
    "Despina": ("f2", 78),
    "Erinome": ("f3", 55),
    "Algenib": ("croak", 35),
    "Rasalgethi": ("m8", 46),
    "Laomedeia": ("f4", 78),
    "Achernar": ("whisperf", 55),
    "Alnilam": ("m1", 62),
    "Schedar": ("m2", 65),
    "Gacrux": ("f5", 30),
    "Pulcherrima": ("f1", 35),
    "Achird": ("m3", 35),
    "Zubenelgenubi": ("m4", 40),
    "Vindemiatrix": ("f2", 25),
    "Sadachbia": ("m5", 75),
    "Sadaltager": ("m6", 65),
    "Sulafat": ("f3", 30),
}
PREBUILT_VOICES = frozenset(PROFILES)
# The prebuilt voice each language's plain espeak voice speaks for: the one Tertulia picks for
# that language (tutor/prompts/languages.py; a test keeps the two in step).
PLAIN = {"es": "Kore", "fr": "Aoede", "de": "Charon", "it": "Leda", "pt": "Puck", "ja": "Zephyr",
         "en": "Orus"}  # fmt: skip
DEFAULT_PITCH = 50
AUDIO_OUTPUT_SYNCHRONOUS = 2
ESPEAK_RATE = 1  # espeak_PARAMETER espeakRATE, words per minute
ESPEAK_PITCH = 3  # espeak_PARAMETER espeakPITCH, 0-100
ESPEAK_CHARS_UTF8 = 1
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Espeak:
    """The process-wide espeak-ng engine. It has global state, so every call holds `lock`."""

    def __init__(self) -> None:
        import espeakng_loader  # here, not at module top: a broken wheel means tones, not a crash

        self.lock = threading.Lock()
        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        path = espeakng_loader.get_data_path().encode()
        self.rate = self.lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, path, 0)
        if self.rate <= 0:
            raise OSError(f"espeak_Initialize failed ({self.rate})")
        self._chunks: list[bytes] = []
        self._callback = _CALLBACK(self._collect)  # keep a reference: C holds the pointer
        self.lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: ctypes.Array[ctypes.c_short], count: int, _events: int) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0  # 0 = keep synthesising

    def synth(self, text: str, voice: str, wpm: int, pitch: int = DEFAULT_PITCH) -> bytes:
        """Return int16 mono PCM at `self.rate` Hz."""
        with self.lock:
            self._chunks = []
            if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise OSError(f"espeak has no voice {voice!r}")
            self.lib.espeak_SetParameter(ESPEAK_RATE, wpm, 0)
            # Always set: espeak keeps parameters between calls, and the plain voice must not
            # inherit the last prebuilt voice's pitch.
            self.lib.espeak_SetParameter(ESPEAK_PITCH, pitch, 0)
            data = text.encode()
            status = self.lib.espeak_Synth(
                data, len(data) + 1, 0, 0, 0, ESPEAK_CHARS_UTF8, None, None
            )
            if status != 0:
                raise OSError(f"espeak_Synth failed ({status})")
            return b"".join(self._chunks)


_ENGINE_LOCK = threading.Lock()


def _engine() -> _Espeak | None:
    # functools.cache does not stop two threads from making the engine at once: many
    # connections' first lines are synthesized together (asyncio.to_thread), and two
    # espeak_Initialize calls at once corrupted the heap under bench/soak.py.
    with _ENGINE_LOCK:
        return _make_engine()


@functools.cache
def _make_engine() -> _Espeak | None:
    try:
        return _Espeak()
    except (OSError, ImportError, RuntimeError, AttributeError) as exc:
        log.warning("espeak-ng unavailable (%s); the emulator will speak in tones", exc)
        return None


def espeak_voice(lang: str, voice: str | None = None) -> tuple[str, int]:
    """The espeak-ng voice name and base pitch for prebuilt `voice` speaking `lang`: the
    language's plain voice for no voice or the language's own, else its variant of `PROFILES`."""
    base = VOICES.get(lang, "en")
    if voice is None or voice == PLAIN.get(lang) or voice not in PROFILES:
        return base, DEFAULT_PITCH
    variant, pitch = PROFILES[voice]
    return f"{base}+{variant}", pitch


def synthesize(
    text: str, lang: str, sample_rate: int = 24000, wpm: int = 160, voice: str | None = None
) -> bytes:
    """Speak `text` in language `lang` (an ISO 639-1 code) with prebuilt `voice` (None: the
    language's plain voice). Returns int16 mono PCM bytes at `sample_rate` Hz. Falls back to a
    tone pattern (one beep per word) if espeak fails."""
    name, pitch = espeak_voice(lang, voice)
    # One cache key per sound, however the voice was named: espeak does not give the same
    # samples twice, and tests compare what the emulator sent with what this returns.
    return _synthesize(text, name, pitch, sample_rate, wpm)


@functools.lru_cache(maxsize=256)
def _synthesize(text: str, name: str, pitch: int, sample_rate: int, wpm: int) -> bytes:
    engine = _engine()
    if engine is not None:
        try:
            pcm = engine.synth(text, name, wpm, pitch)
            return _resample(pcm, engine.rate, sample_rate)
        except OSError as exc:
            _warn_once(str(exc))
    return tone_pattern(len(text.split()) or 1, sample_rate)


def _resample(pcm: bytes, rate_in: int, rate_out: int) -> bytes:
    samples = np.frombuffer(pcm, dtype=np.int16)
    if rate_in == rate_out or samples.size == 0:
        return samples.tobytes()
    return soxr.resample(samples, rate_in, rate_out).astype(np.int16).tobytes()


def tone_pattern(beeps: int, sample_rate: int) -> bytes:
    """int16 mono PCM: `beeps` 440 Hz beeps of 220 ms, each followed by 80 ms of silence."""
    t = np.arange(int(0.22 * sample_rate)) / sample_rate
    fade = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.01)  # 10 ms ramps, no clicks
    beep = (0.3 * 32767 * np.sin(2 * np.pi * 440 * t) * fade).astype(np.int16)
    gap = np.zeros(int(0.08 * sample_rate), dtype=np.int16)
    return np.tile(np.concatenate([beep, gap]), beeps).tobytes()


@functools.cache
def _warn_once(message: str) -> None:
    log.warning("espeak-ng synthesis failed (%s); speaking in tones", message)
