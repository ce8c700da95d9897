// Audio on the wire: Opus through WebCodecs when the browser has it, PCM16 otherwise.
// Up: the mic's 20 ms PCM16 frames -> AudioEncoder (Opus, 16 kbit/s, 20 ms packets, DTX) ->
// one binary frame per two packets. Down: binary frames of Opus packets -> AudioDecoder ->
// PCM16 at 24 kHz for the playback worklet. A frame is a bundle: each packet preceded by its
// length as a little-endian uint16 (tutor/audio/opus_framing.py). The server says in `ready`
// what it sends.
//
// DTX: while the learner is quiet the encoder sends (next to) nothing. Once it has skipped
// QUIET_FRAMES frames, the page sends what waits for its pair plus one DTX packet (a TOC byte
// alone: a frame without audio, RFC 6716) per skipped frame, then nothing until a packet
// comes out again; the server feeds Gemini silence meanwhile (tutor/audio/silence.py).

const OUTPUT_RATE = 24000; // the playback context's rate
const BITRATE = 16000; // wideband speech (Opus's advice: 16-20 kbit/s)
const FRAME_US = 20000;
const PACKETS_PER_FRAME = 2; // 40 ms a WebSocket message: half the per-message cost
const MAX_ENCODE_QUEUE = 10; // frames; beyond that the encoder is stuck: drop, don't lag
const QUIET_FRAMES = 2; // frames without a packet: the encoder is in DTX, not just late
const SILK_WB_20MS = 9 << 3; // a TOC byte for a DTX packet before any packet came out

function encoderConfig(rate, dtx) {
  const opus = { frameDuration: FRAME_US, application: "voip", signal: "voice" };
  if (dtx) opus.usedtx = true;
  return { codec: "opus", sampleRate: rate, numberOfChannels: 1, bitrate: BITRATE, opus };
}
// A decoder configured for 24 kHz may still output 48 kHz: read AudioData.sampleRate.
const DECODER_CONFIG = { codec: "opus", sampleRate: OUTPUT_RATE, numberOfChannels: 1 };

function webCodecs() {
  const api = ["AudioEncoder", "AudioDecoder", "AudioData", "EncodedAudioChunk"];
  return api.every((name) => typeof globalThis[name] === "function");
}

async function supported(check) {
  if (!webCodecs()) return false;
  try {
    return Boolean((await check()).supported);
  } catch {
    return false;
  }
}

// `rates`: what the server takes Opus at (tutor/audio/frames.py OPUS_RATES, in the config).
// The encoder's config, with DTX where the browser takes it, else without; null: no Opus.
export async function encoderSupported(rate, rates) {
  if (!rates.includes(rate)) return null;
  for (const dtx of [true, false]) {
    const config = encoderConfig(rate, dtx);
    if (await supported(() => AudioEncoder.isConfigSupported(config))) return config;
  }
  return null;
}

export function decoderSupported() {
  return supported(() => AudioDecoder.isConfigSupported(DECODER_CONFIG));
}

export function bundle(packets) {
  const size = packets.reduce((sum, p) => sum + 2 + p.byteLength, 0);
  const out = new Uint8Array(size);
  let at = 0;
  for (const packet of packets) {
    out[at] = packet.byteLength & 0xff;
    out[at + 1] = packet.byteLength >> 8;
    out.set(packet, at + 2);
    at += 2 + packet.byteLength;
  }
  return out.buffer;
}

export function unbundle(buffer) {
  const bytes = new Uint8Array(buffer);
  const packets = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const size = bytes[at] | (bytes[at + 1] << 8);
    if (!size || at + 2 + size > bytes.length) break;
    packets.push(bytes.subarray(at + 2, at + 2 + size));
    at += 2 + size;
  }
  return packets;
}

// Frame length in µs by TOC config (RFC 6716 §3.1): SILK 0-11, hybrid 12-15, CELT 16-31.
const TOC_FRAME_US = [
  ...Array(3).fill([10000, 20000, 40000, 60000]).flat(),
  ...Array(2).fill([10000, 20000]).flat(),
  ...Array(4).fill([2500, 5000, 10000, 20000]).flat(),
];

// The audio time one packet holds (tutor/audio/opus_framing.py opus_packet_ms).
export function packetUs(packet) {
  const code = packet[0] & 3;
  const frames = code === 0 ? 1 : code < 3 ? 2 : (packet[1] ?? 0) & 0x3f;
  return frames * TOC_FRAME_US[packet[0] >> 3];
}

// Float samples at `rate` -> PCM16 at 24 kHz. Opus decodes at 48 kHz (2:1, pairs averaged;
// at 24 kbit/s Opus keeps nothing above 12 kHz to alias) or 24 kHz; others interpolate.
export function toPcm16(floats, rate) {
  let samples = floats;
  if (rate === 2 * OUTPUT_RATE) {
    samples = new Float32Array(floats.length >> 1);
    for (let i = 0; i < samples.length; i++) samples[i] = (floats[2 * i] + floats[2 * i + 1]) / 2;
  } else if (rate !== OUTPUT_RATE) {
    const step = rate / OUTPUT_RATE;
    samples = new Float32Array(Math.floor(floats.length / step));
    for (let i = 0; i < samples.length; i++) {
      const x = i * step;
      const j = Math.floor(x);
      const next = floats[Math.min(j + 1, floats.length - 1)];
      samples[i] = floats[j] + (next - floats[j]) * (x - j);
    }
  }
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    pcm[i] = s < 0 ? s * 0x8000 : s * 0x7fff;
  }
  return pcm.buffer;
}

// Channel 0 of an AudioData as floats, whatever sample format the decoder chose.
function floatsOf(data) {
  const n = data.numberOfFrames;
  const interleaved = !data.format.endsWith("-planar");
  const stride = interleaved ? data.numberOfChannels : 1;
  if (data.format.startsWith("f32")) {
    const raw = new Float32Array(n * stride);
    data.copyTo(raw, { planeIndex: 0 });
    return stride === 1 ? raw : raw.filter((_, i) => i % stride === 0);
  }
  const ints = new Int16Array(n * stride); // "s16" / "s16-planar"
  data.copyTo(ints, { planeIndex: 0 });
  const floats = new Float32Array(n);
  for (let i = 0; i < n; i++) floats[i] = ints[i * stride] / 32768;
  return floats;
}

class Uplink {
  constructor(rate, config, send, debug) {
    this.rate = rate;
    this.send = send;
    this.debug = debug; // debug.skippedFrames: frames the encoder sent nothing for (DTX)
    this.packets = [];
    this.timestamp = 0; // microseconds of audio encoded so far
    this.fed = 0; // frames given to the encoder
    this.heard = 0; // `fed` when the last packet came out
    this.packetsOut = 0;
    this.quiet = false; // the DTX packets went out; nothing more until a packet comes
    this.toc = SILK_WB_20MS;
    this.encoder = new AudioEncoder({
      output: (chunk) => this.output(chunk),
      error: () => (this.broken = true),
    });
    this.encoder.configure(config);
  }

  encode(pcm) {
    if (this.broken || this.encoder.encodeQueueSize > MAX_ENCODE_QUEUE) return false;
    this.noticeQuiet();
    const frames = pcm.byteLength / 2;
    const data = new AudioData({
      format: "s16",
      sampleRate: this.rate,
      numberOfFrames: frames,
      numberOfChannels: 1,
      timestamp: this.timestamp,
      data: pcm,
    });
    this.timestamp += (frames * 1e6) / this.rate;
    this.encoder.encode(data);
    this.fed += 1;
    data.close();
    return true;
  }

  // The encoder answers a frame well within the 20 ms before the next one: frames fed with
  // no packet since were skipped (DTX). Say so once, with a DTX packet for each.
  noticeQuiet() {
    this.debug.skippedFrames = this.fed - this.packetsOut;
    const skipped = this.fed - this.heard;
    if (this.quiet || skipped < QUIET_FRAMES || this.encoder.encodeQueueSize > 0) return;
    this.quiet = true;
    const dtx = Array.from({ length: skipped }, () => Uint8Array.of(this.toc));
    this.send(bundle([...this.packets.splice(0), ...dtx]));
  }

  output(chunk) {
    if (chunk.byteLength <= 2) return; // a DTX frame (browsers that pass them on): skipped
    const packet = new Uint8Array(chunk.byteLength);
    chunk.copyTo(packet);
    this.heard = this.fed;
    this.packetsOut += 1;
    this.quiet = false;
    this.toc = packet[0] & 0xfc; // a one-frame packet of the same mode, for DTX packets
    this.packets.push(packet);
    if (this.packets.length >= PACKETS_PER_FRAME) this.send(bundle(this.packets.splice(0)));
  }

  close() {
    if (this.encoder.state !== "closed") this.encoder.close();
  }
}

class Downlink {
  constructor(play) {
    this.play = play;
    this.timestamp = 0;
    this.open();
  }

  open() {
    this.decoder = new AudioDecoder({
      output: (data) => this.output(data),
      error: () => this.open(), // a bad packet: start afresh rather than go silent
    });
    this.decoder.configure(DECODER_CONFIG);
  }

  decode(buffer) {
    for (const packet of unbundle(buffer)) {
      const chunk = new EncodedAudioChunk({ type: "key", timestamp: this.timestamp, data: packet });
      this.timestamp += packetUs(packet);
      this.decoder.decode(chunk);
    }
  }

  output(data) {
    const floats = floatsOf(data);
    const rate = data.sampleRate;
    data.close();
    this.play(toPcm16(floats, rate));
  }

  // Barge-in: packets still queued in the decoder belong to the interrupted turn.
  flush() {
    if (this.decoder.state !== "closed") this.decoder.close();
    this.open();
  }
}

// The page's audio codec: decides per microphone rate, builds the `start` message, sends
// mic frames and plays tutor frames in whichever codec was agreed.
export class WireAudio {
  constructor({ opusRates, sendFrame, play, debug }) {
    this.opusRates = opusRates;
    this.sendFrame = sendFrame; // (ArrayBuffer) -> bool, false when it could not be sent
    this.play = play; // (ArrayBuffer of PCM16 at 24 kHz) -> void
    this.debug = debug;
    this.uplink = null;
    this.downlink = null;
    this.output = "pcm";
    this.rate = null;
    this.canDecode = undefined;
    debug.codec = "pcm";
    debug.outputCodec = "pcm";
    debug.bytesSent = 0;
    debug.bytesReceived = 0;
    debug.skippedFrames = 0;
  }

  // Call once the microphone's rate is known (again if it changes); null: no microphone.
  async prepare(rate) {
    if (this.canDecode === undefined) this.canDecode = await decoderSupported();
    if (rate === this.rate) return;
    this.rate = rate;
    if (this.uplink) this.uplink.close();
    const config = rate && (await encoderSupported(rate, this.opusRates));
    this.uplink = config ? new Uplink(rate, config, (f) => this.sent(f), this.debug) : null;
    this.debug.codec = this.uplink ? "opus" : "pcm";
  }

  startMessage(rate) {
    const output = { outputCodec: this.canDecode ? "opus" : "pcm" };
    if (this.uplink && rate === this.rate) {
      return { type: "start", codec: "opus", sampleRate: rate, channels: 1, ...output };
    }
    return { type: "start", sampleRate: rate, format: "s16", channels: 1, ...output };
  }

  // The server's `ready`: what it sends back (servers before Opus say nothing: PCM).
  negotiated(ready) {
    this.output = ready.outputCodec === "opus" ? "opus" : "pcm";
    this.debug.outputCodec = this.output;
    if (this.output === "opus" && !this.downlink) this.downlink = new Downlink(this.play);
  }

  // A mic frame (PCM16 at the declared rate): true if it went out (or into the encoder).
  send(pcm) {
    if (this.uplink) return this.uplink.encode(pcm);
    return this.sent(pcm);
  }

  sent(frame) {
    const ok = this.sendFrame(frame);
    if (ok) this.debug.bytesSent += frame.byteLength;
    return ok;
  }

  receive(buffer) {
    this.debug.bytesReceived += buffer.byteLength;
    if (this.output === "opus") this.downlink.decode(buffer);
    else this.play(buffer);
  }

  flush() {
    if (this.downlink) this.downlink.flush();
  }
}
