"""Opus on the conversation socket: bundles of raw packets, and each packet's duration.

On the wire (both directions), a binary frame is a bundle of one or more raw Opus
packets (no Ogg, no OpusHead), each preceded by its length as a little-endian uint16.
A bundle from the page holds at most MAX_AUDIO_MS of audio, the same ceiling as PCM frames;
the server sends one bundle per chunk of tutor audio (Gemini's chunks are 40-200 ms).
The rates a `start` may declare for Opus are `tutor.audio.frames.OPUS_RATES`.
"""

from __future__ import annotations

from tutor.audio.frames import MAX_AUDIO_MS, FrameError, Start

MAX_OPUS_BUNDLE = 4000  # bytes; 120 ms at 24 kbit/s is ~360 bytes


def split_opus_bundle(start: Start | None, data: bytes) -> list[bytes]:
    """The Opus packets of one bundle, or FrameError: malformed, or too large if it holds
    more than MAX_AUDIO_MS. Durations come from each packet's TOC (RFC 6716 §3.1), so a
    flood of tiny packets cannot make the decoder produce minutes of audio."""
    if start is None:
        raise FrameError("malformed", "audio before start")
    if len(data) > MAX_OPUS_BUNDLE:
        raise FrameError("too_large", f"Opus bundles may hold at most {MAX_AUDIO_MS} ms")
    packets, offset, total_ms = [], 0, 0.0
    while offset < len(data):
        if offset + 2 > len(data):
            raise FrameError("malformed", "truncated Opus bundle")
        size = int.from_bytes(data[offset : offset + 2], "little")
        packet = data[offset + 2 : offset + 2 + size]
        if not size or len(packet) != size:
            raise FrameError("malformed", "truncated Opus bundle")
        total_ms += opus_packet_ms(packet)
        if total_ms > MAX_AUDIO_MS:
            raise FrameError("too_large", f"Opus bundles may hold at most {MAX_AUDIO_MS} ms")
        packets.append(packet)
        offset += 2 + size
    if not packets:
        raise FrameError("malformed", "empty Opus bundle")
    return packets


def opus_bundle(packets: list[bytes]) -> bytes:
    """Packets -> one bundle (see `split_opus_bundle`)."""
    return b"".join(len(p).to_bytes(2, "little") + p for p in packets)


# Frame duration in ms by TOC config (RFC 6716 §3.1): SILK 0-11, hybrid 12-15, CELT 16-31.
_OPUS_FRAME_MS = [10, 20, 40, 60] * 3 + [10, 20] * 2 + [2.5, 5, 10, 20] * 4


def opus_packet_ms(packet: bytes) -> float:
    """Audio duration of one raw Opus packet, from its TOC byte (and frame count byte)."""
    toc = packet[0]
    frames = (1, 2, 2, 0)[toc & 3]
    if not frames:  # code 3: the frame count is in the next byte
        if len(packet) < 2:
            raise FrameError("malformed", "malformed Opus packet")
        frames = packet[1] & 0x3F
    duration = frames * _OPUS_FRAME_MS[toc >> 3]
    if not frames or duration > 120:  # RFC 6716: a packet holds at most 120 ms
        raise FrameError("malformed", "malformed Opus packet")
    return duration
