// "Again, slower": the tutor's last line played again from the audio the page already has, at
// normal speed or at 0.75x with its pitch kept. The page keeps a copy of the 24 kHz PCM16 it
// hands the speaker (after Opus decoding, so both wire codecs give the same thing); a line ends
// with the server's `turn_complete`. The replay is a WAV in an <audio> element, whose
// `preservesPitch` (on by default, set anyway) time-stretches without the chipmunk/slow-motion
// voice. The microphone pauses while it plays, so the tutor does not hear it as the learner,
// and a new tutor line stops it. Alt+R plays it again, Alt+Shift+R slower (any focus).

const { gettext } = window; // the djangojs catalog (base.html loads it first)

const RATE = 24000;
export const SLOWER = 0.75;
const MIN_SAMPLES = RATE / 4; // a line shorter than a quarter second is not worth replaying
const MAX_SAMPLES = RATE * 60; // a minute at most: a runaway line is cut, not kept whole

export class Replay {
  constructor({ again, slower, hint, announce, pauseMic, debug }) {
    Object.assign(this, { again, slower, hint, announce, pauseMic, debug });
    this.chunks = []; // Uint8Array copies of the line in flight
    this.bytes = 0;
    this.last = null; // Int16Array of the last whole line
    this.audio = null;
    this.url = null;
    debug.replays = [];
    debug.replayable = 0;
    this.update();
  }

  bind() {
    this.again.addEventListener("click", () => this.play(1));
    this.slower.addEventListener("click", () => this.play(SLOWER));
    document.addEventListener("keydown", (event) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.code !== "KeyR") return;
      event.preventDefault();
      this.play(event.shiftKey ? SLOWER : 1);
    });
  }

  // Tutor audio on its way to the speaker (an ArrayBuffer the speaker will transfer: copied).
  keep(buffer) {
    if (!this.chunks.length) this.stop(); // a new line: the replay of the old one gives way
    if (this.bytes >= MAX_SAMPLES * 2) return;
    const view = ArrayBuffer.isView(buffer) ? buffer : new Uint8Array(buffer);
    const copy = new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
    this.chunks.push(copy);
    this.bytes += copy.length;
  }

  // The tutor's turn is over: what arrived is now the line to replay.
  lineEnded() {
    if (this.bytes / 2 < MIN_SAMPLES) {
      this.chunks = [];
      this.bytes = 0;
      return;
    }
    const joined = new Uint8Array(this.bytes - (this.bytes % 2));
    let at = 0;
    for (const chunk of this.chunks) {
      const take = Math.min(chunk.length, joined.length - at);
      joined.set(chunk.subarray(0, take), at);
      at += take;
    }
    this.last = new Int16Array(joined.buffer);
    this.chunks = [];
    this.bytes = 0;
    this.debug.replayable = this.last.length / RATE;
    this.update();
  }

  update() {
    const ready = Boolean(this.last);
    for (const button of [this.again, this.slower]) button.setAttribute("aria-disabled", String(!ready));
    this.hint.textContent = ready
      ? gettext("Hear the tutor's last line again (Alt+R), or slower (Alt+Shift+R).")
      : gettext("Nothing to replay yet: the tutor's lines can be heard again once one has finished.");
  }

  play(speed) {
    if (!this.last) {
      this.announce(gettext("Nothing to replay yet."));
      return;
    }
    this.stop();
    const audio = (this.audio = new Audio());
    this.url = URL.createObjectURL(wav(this.last));
    audio.src = this.url;
    audio.preservesPitch = true; // the default, said out loud: slower, not lower
    audio.playbackRate = speed;
    const entry = { speed, samples: this.last.length, seconds: this.last.length / RATE };
    if (this.debug.replays.length < 50) this.debug.replays.push(entry);
    const resume = this.pauseMic();
    let started = 0;
    audio.addEventListener("playing", () => {
      started = performance.now();
      entry.duration = audio.duration;
      entry.preservesPitch = audio.preservesPitch;
      entry.playbackRate = audio.playbackRate;
    });
    const done = (how) => {
      if (entry.ended) return;
      entry.ended = how;
      entry.wallSeconds = started ? (performance.now() - started) / 1000 : 0;
      resume();
      if (this.audio === audio) this.stop();
    };
    audio.addEventListener("ended", () => done("ended"));
    audio.addEventListener("error", () => done("error"));
    audio.addEventListener("pause", () => done(audio.ended ? "ended" : "stopped")); // comes first
    audio.play().catch(() => {
      done("refused");
      this.announce(gettext("The replay could not play in this browser."));
    });
    this.announce(
      speed === 1 ? gettext("Playing the tutor's last line again.") : gettext("Playing the tutor's last line again, slower."),
    );
  }

  stop() {
    const audio = this.audio;
    this.audio = null;
    if (audio) audio.pause();
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }
}

// A mono PCM16 WAV file of `samples` at 24 kHz.
export function wav(samples) {
  const header = new DataView(new ArrayBuffer(44));
  const text = (at, value) => [...value].forEach((c, i) => header.setUint8(at + i, c.charCodeAt(0)));
  const size = samples.length * 2;
  text(0, "RIFF");
  header.setUint32(4, 36 + size, true);
  text(8, "WAVE");
  text(12, "fmt ");
  header.setUint32(16, 16, true); // fmt chunk size
  header.setUint16(20, 1, true); // PCM
  header.setUint16(22, 1, true); // mono
  header.setUint32(24, RATE, true);
  header.setUint32(28, RATE * 2, true); // bytes per second
  header.setUint16(32, 2, true); // block align
  header.setUint16(34, 16, true); // bits per sample
  text(36, "data");
  header.setUint32(40, size, true);
  return new Blob([header, samples], { type: "audio/wav" });
}
