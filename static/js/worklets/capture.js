// Microphone capture: 128-frame Float32 blocks in, ~20 ms PCM16 frames out (at the context's
// own rate, which is the device's), plus an RMS level per frame for the meter.
// Chromium hands a mono track over as two identical channels; channel 0 is enough.

const FRAME_MS = 20;

class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.frame = new Int16Array(Math.round((sampleRate * FRAME_MS) / 1000));
    this.filled = 0;
    this.sumSquares = 0;
    this.sending = false;
    this.port.onmessage = (event) => {
      if (typeof event.data.sending === "boolean") this.sending = event.data.sending;
    };
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true; // not connected yet, or the track ended
    for (let i = 0; i < channel.length; i++) {
      const sample = Math.max(-1, Math.min(1, channel[i]));
      this.sumSquares += sample * sample;
      this.frame[this.filled++] = sample < 0 ? sample * 0x8000 : sample * 0x7fff;
      if (this.filled === this.frame.length) this.emit();
    }
    return true;
  }

  emit() {
    const level = Math.sqrt(this.sumSquares / this.frame.length);
    if (this.sending) {
      const pcm = this.frame.slice().buffer;
      this.port.postMessage({ level, pcm }, [pcm]);
    } else {
      this.port.postMessage({ level });
    }
    this.filled = 0;
    this.sumSquares = 0;
  }
}

registerProcessor("tertulia-capture", CaptureProcessor);
