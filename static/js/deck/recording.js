// One spoken answer: 20 ms PCM16 frames from the microphone until the learner pauses after
// speaking (or presses Stop, or 12 s pass), trimmed to the speech with a little margin and
// wrapped as a mono 16-bit WAV at the microphone's own rate (the server resamples).

const FRAME_MS = 20;
const VOICED = 0.015; // RMS of a 20 ms frame (about -36 dBFS): someone is speaking
const END_AFTER_MS = 1200; // this much quiet after speech ends the answer
const GIVE_UP_MS = 7000; // no speech at all by then: stop and say so
const MAX_MS = 12000; // the server accepts up to 15 s
const MARGIN_FRAMES = 15; // 300 ms kept before the first and after the last voiced frame

export class Recording {
  constructor(makeMicrophone, { onLevel, onDone }) {
    this.makeMicrophone = makeMicrophone;
    this.onLevel = onLevel;
    this.onDone = onDone;
    this.frames = [];
    this.voiced = [];
    this.level = 0;
    this.mic = null;
    this.done = false;
  }

  async start() {
    this.mic = this.makeMicrophone({
      onLevel: (level) => {
        this.level = level;
        this.onLevel(level);
      },
      onFrame: (pcm) => this.frame(pcm),
    });
    await this.mic.start();
    this.mic.setSending(true);
  }

  frame(pcm) {
    if (this.done) return;
    this.frames.push(new Int16Array(pcm));
    this.voiced.push(this.level >= VOICED);
    const elapsed = this.frames.length * FRAME_MS;
    const last = this.voiced.lastIndexOf(true);
    const quietFor = (this.frames.length - 1 - last) * FRAME_MS;
    if (elapsed >= MAX_MS || (last >= 0 && quietFor >= END_AFTER_MS) || (last < 0 && elapsed >= GIVE_UP_MS)) {
      this.stop();
    }
  }

  stop() {
    if (this.done) return;
    this.done = true;
    const rate = this.mic ? this.mic.sampleRate : null;
    if (this.mic) this.mic.stop();
    const first = this.voiced.indexOf(true);
    if (first < 0 || !rate) {
      this.onDone(null);
      return;
    }
    const last = this.voiced.lastIndexOf(true);
    const kept = this.frames.slice(Math.max(0, first - MARGIN_FRAMES), last + 1 + MARGIN_FRAMES);
    this.onDone(wavFile(kept, rate));
  }
}

export function wavFile(frames, rate) {
  const samples = frames.reduce((n, f) => n + f.length, 0);
  const buffer = new ArrayBuffer(44 + samples * 2);
  const view = new DataView(buffer);
  const text = (offset, s) => [...s].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, "RIFF");
  view.setUint32(4, 36 + samples * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, samples * 2, true);
  let offset = 44;
  for (const frame of frames) {
    new Int16Array(buffer, offset, frame.length).set(frame);
    offset += frame.length * 2;
  }
  return new Blob([buffer], { type: "audio/wav" });
}
