// Tutor audio: PCM16 chunks in (at the context's rate, 24 kHz), a small jitter buffer, out.
// Playback starts once PREBUFFER_MS is queued, or after WAIT_MS with less (the tail of a turn),
// so network jitter between chunks does not become clicks. A "flush" empties the queue from
// the message handler itself, so the very next render quantum is already silent (barge-in).

const PREBUFFER_MS = 80;
const WAIT_MS = 120;
const REPORT_MS = 100;

class PlaybackProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.chunks = [];
    this.offset = 0; // read position in chunks[0]
    this.buffered = 0; // samples queued
    this.playing = false;
    this.waited = 0;
    this.played = 0; // non-zero samples actually output, for tests and the speaking indicator
    this.flushes = 0;
    this.dropped = 0;
    this.sinceReport = 0;
    this.prebuffer = Math.round((sampleRate * PREBUFFER_MS) / 1000);
    this.maxWait = Math.round((sampleRate * WAIT_MS) / 1000);
    this.reportEvery = Math.round((sampleRate * REPORT_MS) / 1000);
    this.port.onmessage = (event) => this.receive(event.data);
  }

  receive(message) {
    if (message.type === "pcm") {
      const ints = new Int16Array(message.pcm);
      const floats = new Float32Array(ints.length);
      for (let i = 0; i < ints.length; i++) floats[i] = ints[i] / 32768;
      this.chunks.push(floats);
      this.buffered += floats.length;
    } else if (message.type === "flush") {
      this.flushes += 1;
      this.dropped += this.buffered;
      this.chunks = [];
      this.offset = 0;
      this.buffered = 0;
      this.setPlaying(false);
      this.report("flushed");
    }
  }

  process(_inputs, outputs) {
    const output = outputs[0];
    const out = output[0];
    if (!this.playing && this.buffered > 0) {
      this.waited += out.length;
      if (this.buffered >= this.prebuffer || this.waited >= this.maxWait) this.setPlaying(true);
    }
    let written = 0;
    while (this.playing && written < out.length && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const count = Math.min(out.length - written, chunk.length - this.offset);
      for (let i = 0; i < count; i++) {
        const sample = chunk[this.offset + i];
        out[written + i] = sample;
        if (sample !== 0) this.played += 1;
      }
      written += count;
      this.offset += count;
      this.buffered -= count;
      if (this.offset === chunk.length) {
        this.chunks.shift();
        this.offset = 0;
      }
    }
    out.fill(0, written);
    for (let c = 1; c < output.length; c++) output[c].set(out);
    if (this.playing && this.buffered === 0) this.setPlaying(false);
    this.sinceReport += out.length;
    if (this.sinceReport >= this.reportEvery) this.report("stats");
    return true;
  }

  setPlaying(playing) {
    this.waited = 0;
    if (playing === this.playing) return;
    this.playing = playing;
    this.report(playing ? "started" : "idle");
  }

  report(type) {
    this.sinceReport = 0;
    this.port.postMessage({
      type,
      played: this.played,
      buffered: this.buffered,
      flushes: this.flushes,
      dropped: this.dropped,
    });
  }
}

registerProcessor("tertulia-playback", PlaybackProcessor);
