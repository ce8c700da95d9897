// The microphone (device rate, PCM16 frames out) and the speaker (24 kHz tutor audio in).
// Both AudioContexts must be created inside the click that starts the conversation:
// a context created without a user gesture stays suspended (autoplay policy).

const OUTPUT_RATE = 24000;

export class MicError extends Error {
  constructor(kind, cause) {
    super(kind);
    this.kind = kind; // denied | missing | busy | insecure | failed
    this.cause = cause;
  }
}

function micErrorKind(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "SecurityError":
      return "denied";
    case "NotFoundError":
    case "OverconstrainedError":
      return "missing";
    case "NotReadableError":
    case "AbortError":
      return "busy";
    default:
      return "failed";
  }
}

// What the conversation asks of the microphone: the tutor's voice plays while the learner
// speaks, so echo cancellation (and with it noise suppression and gain control) is on.
const CONVERSATION_PROCESSING = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

export class Microphone {
  constructor(workletUrl, { onFrame, onLevel, processing = CONVERSATION_PROCESSING }) {
    this.workletUrl = workletUrl;
    this.onFrame = onFrame;
    this.onLevel = onLevel;
    this.processing = processing;
    this.context = null;
    this.stream = null;
    this.node = null;
    this.sending = false;
  }

  get sampleRate() {
    return this.context ? this.context.sampleRate : null;
  }

  async start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw new MicError("insecure");
    }
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: { ...this.processing, channelCount: 1 },
      });
    } catch (error) {
      throw new MicError(micErrorKind(error), error);
    }
    try {
      await this.connect();
    } catch (error) {
      this.stop();
      throw new MicError("failed", error);
    }
  }

  async connect() {
    const track = this.stream.getAudioTracks()[0];
    const rate = track.getSettings().sampleRate;
    // Run at the track's own rate: no resampling in the browser (the server resamples), and
    // Firefox refuses to connect a source to a context at another rate.
    this.context = rate ? new AudioContext({ sampleRate: rate }) : new AudioContext();
    await this.context.audioWorklet.addModule(this.workletUrl);
    const source = this.context.createMediaStreamSource(this.stream);
    this.node = new AudioWorkletNode(this.context, "tertulia-capture", {
      channelCount: 1,
      channelCountMode: "explicit",
      numberOfOutputs: 1,
    });
    this.node.port.onmessage = (event) => this.receive(event.data);
    source.connect(this.node);
    // Connected to the destination so the graph pulls it; it outputs silence.
    this.node.connect(this.context.destination);
    await this.context.resume();
    track.addEventListener("ended", () => this.onLevel(0, { ended: true }));
  }

  receive({ level, pcm }) {
    this.onLevel(level);
    if (pcm && this.sending) this.onFrame(pcm);
  }

  // Sending off = muted: the track is disabled too, so the browser's mic indicator dims.
  setSending(sending) {
    this.sending = sending;
    if (this.node) this.node.port.postMessage({ sending });
    if (this.stream) this.stream.getAudioTracks().forEach((t) => (t.enabled = sending));
  }

  stop() {
    this.sending = false;
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    if (this.context) this.context.close().catch(() => {});
    this.stream = this.context = this.node = null;
  }
}

export class Speaker {
  constructor(workletUrl, onReport) {
    this.workletUrl = workletUrl;
    this.onReport = onReport;
    this.context = null;
    this.node = null;
    this.pending = [];
    this.carry = null; // a PCM16 sample split across two WebSocket frames
  }

  // Call synchronously from the click handler; the returned promise may be awaited later.
  start() {
    if (this.context) return this.ready;
    this.context = new AudioContext({ sampleRate: OUTPUT_RATE, latencyHint: "interactive" });
    const resumed = this.context.resume();
    this.ready = this.context.audioWorklet.addModule(this.workletUrl).then(async () => {
      this.node = new AudioWorkletNode(this.context, "tertulia-playback", {
        numberOfInputs: 0,
        outputChannelCount: [1],
      });
      this.node.port.onmessage = (event) => this.onReport(event.data);
      this.node.connect(this.context.destination);
      await resumed;
      for (const pcm of this.pending.splice(0)) this.post(pcm);
    });
    return this.ready;
  }

  get running() {
    return Boolean(this.context) && this.context.state === "running";
  }

  resume() {
    if (this.context && this.context.state === "suspended") this.context.resume();
  }

  play(buffer) {
    let bytes = new Uint8Array(buffer);
    if (this.carry !== null) {
      const joined = new Uint8Array(bytes.length + 1);
      joined[0] = this.carry;
      joined.set(bytes, 1);
      bytes = joined;
      this.carry = null;
    }
    if (bytes.length % 2) {
      this.carry = bytes[bytes.length - 1];
      bytes = bytes.slice(0, -1);
    }
    if (!bytes.length) return;
    const pcm = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes.buffer
      : bytes.slice().buffer;
    if (this.node) this.post(pcm);
    else this.pending.push(pcm);
  }

  post(pcm) {
    this.node.port.postMessage({ type: "pcm", pcm }, [pcm]);
  }

  // Barge-in: the worklet empties its queue on receipt, before the next render quantum.
  flush() {
    this.pending = [];
    this.carry = null;
    if (this.node) this.node.port.postMessage({ type: "flush" });
  }

  stop() {
    if (this.context) this.context.close().catch(() => {});
    this.context = this.node = null;
  }
}
