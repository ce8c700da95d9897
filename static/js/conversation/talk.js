// Mute, unmute and push-to-talk: what the talk button and the Space bar do once the
// microphone is on. Muting tells the server (`pause`), so Gemini ends the utterance at once.

const { gettext } = window; // the djangojs catalog (base.html loads it first)

const CONTROLS = "input, textarea, select, button, a, summary, [contenteditable]";

export class Talk {
  constructor({ stage, mic, speaker, socket, debug }) {
    Object.assign(this, { stage, mic, speaker, socket, debug });
    this.pushToTalk = false;
    this.resumeAfterPause = false;
  }

  bind(checkbox) {
    const button = this.stage.button;
    button.addEventListener("pointerdown", (e) => this.pointer(e, true));
    for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
      button.addEventListener(type, (e) => this.pointer(e, false));
    }
    document.addEventListener("keydown", (e) => this.key(e, true));
    document.addEventListener("keyup", (e) => this.key(e, false));
    checkbox.addEventListener("change", () => this.setPushToTalk(checkbox.checked));
  }

  // A click on the talk button while the microphone runs (push-to-talk uses press and release).
  toggle() {
    if (this.stage.mode === "on") this.setMuted(true);
    else if (this.stage.mode === "muted") this.setMuted(false);
  }

  setMuted(muted) {
    this.mic.setSending(!muted);
    this.debug.mic = muted ? "muted" : "on";
    this.stage.setMode(muted ? "muted" : "on");
    this.stage.setIdleText(muted ? gettext("Muted") : gettext("Listening…"));
    if (muted) this.socket.send({ type: "pause" });
    else this.speaker.resume();
  }

  // Also called once the microphone starts, to apply the learner's choice.
  setPushToTalk(on) {
    this.pushToTalk = on;
    if (!this.mic.context) return;
    this.setMuted(on);
    if (on) this.waitForHold();
  }

  waitForHold() {
    this.stage.setMode("ptt");
    this.stage.setIdleText(gettext("Hold to talk"));
  }

  hold(down) {
    const mode = this.stage.mode;
    if (down && mode === "ptt") {
      this.mic.setSending(true);
      this.debug.mic = "on";
      this.stage.setMode("holding");
      this.speaker.resume();
    } else if (!down && mode === "holding") {
      this.setMuted(true);
      this.waitForHold();
    }
  }

  pointer(event, down) {
    if (!this.pushToTalk || (down && event.button !== 0)) return;
    if (down) this.stage.button.setPointerCapture(event.pointerId);
    this.hold(down);
  }

  // Space anywhere but in a field or another control; Enter only on the talk button.
  key(event, down) {
    if (!this.pushToTalk || (event.key !== " " && event.key !== "Enter")) return;
    const onButton = event.target === this.stage.button;
    const elsewhere = event.target.closest(CONTROLS);
    if ((event.key === "Enter" && !onButton) || (!onButton && elsewhere)) return;
    event.preventDefault();
    if (!event.repeat) this.hold(down);
  }

  // Nobody is listening (another tab took over): go quiet until the learner comes back.
  pause() {
    this.resumeAfterPause = this.stage.mode === "on";
    if (this.resumeAfterPause) this.setMuted(true);
  }

  resume() {
    if (this.resumeAfterPause) this.setMuted(false);
    this.resumeAfterPause = false;
  }
}
