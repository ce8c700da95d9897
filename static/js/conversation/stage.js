// The talk control and the things around it: level ring and meter, who is speaking, clocks.

const { gettext, pgettext } = window; // the djangojs catalog (base.html loads it first)

// Each mode: [label, hint, the button's aria-label when it differs from the label].
const MODES = {
  idle: [gettext("Start talking"), gettext("Press to start. Your microphone turns on and the tutor says hello.")],
  connecting: [gettext("Connecting…"), gettext("Getting the tutor on the line.")],
  on: [
    pgettext("button that turns the microphone off", "Mute"),
    gettext("The tutor hears you. Speak whenever you like — you can interrupt."),
    gettext("Mute microphone"),
  ],
  muted: [
    pgettext("button that turns the microphone back on", "Unmute"),
    gettext("Muted: the tutor can't hear you. Press to talk again."),
    gettext("Unmute microphone"),
  ],
  ptt: [gettext("Hold to talk"), gettext("Hold this button, or the Space bar, while you speak.")],
  holding: [gettext("Talking…"), gettext("Let go when you've finished.")],
  nomic: [gettext("Turn on microphone"), gettext("No microphone yet: type below, or press to try again.")],
  ended: [pgettext("the conversation's state", "Finished"), gettext("This conversation has ended.")],
}; // prettier-ignore
const WHO = {
  learner: gettext("You're speaking"),
  tutor: gettext("Tutor is speaking"),
};
const SPEECH_LEVEL = 0.02; // RMS of full scale, about -34 dBFS
const HOLD_MS = 400;

export class Stage {
  constructor(root) {
    this.root = root;
    this.button = root.querySelector("#talk-button");
    this.label = root.querySelector("#talk-label");
    this.hint = root.querySelector("#talk-hint");
    this.ring = root.querySelector("#level-ring");
    this.meter = root.querySelector("#meter");
    this.meterFill = root.querySelector("#meter-fill");
    this.whoText = root.querySelector("#who-text");
    this.clockValue = root.querySelector("#clock-value");
    this.trialLeft = root.querySelector("#trial-left");
    this.captionBox = root.querySelector("#live-caption");
    this.mode = "idle";
    this.tutorPlaying = false;
    this.learnerUntil = 0;
    this.idleText = gettext("Not started");
    this.lastMeterUpdate = 0;
  }

  setMode(mode, hint) {
    this.mode = mode;
    const [label, defaultHint, ariaLabel] = MODES[mode];
    this.button.dataset.mode = mode;
    this.label.textContent = label;
    this.hint.textContent = hint || defaultHint;
    this.button.setAttribute("aria-label", ariaLabel || label);
    if (mode === "ptt" || mode === "holding") {
      this.button.setAttribute("aria-pressed", String(mode === "holding"));
    } else {
      this.button.removeAttribute("aria-pressed");
    }
    // aria-disabled, not disabled: a disabled button drops keyboard focus to the page.
    this.button.setAttribute("aria-disabled", String(mode === "connecting" || mode === "ended"));
    if (mode !== "on" && mode !== "holding") this.level(0);
  }

  level(rms) {
    const value = Math.min(1, Math.sqrt(rms) * 2.2); // perceptual-ish scale, 0..1
    this.ring.style.setProperty("--level", value.toFixed(3));
    this.meterFill.style.setProperty("--level", value.toFixed(3));
    const now = performance.now();
    if (rms >= SPEECH_LEVEL) this.learnerUntil = now + HOLD_MS;
    if (now - this.lastMeterUpdate > 250) {
      this.lastMeterUpdate = now;
      this.meter.setAttribute("aria-valuenow", String(Math.round(value * 100)));
    }
    this.refreshWho();
  }

  setTutorPlaying(playing) {
    this.tutorPlaying = playing;
    this.refreshWho();
  }

  setIdleText(text) {
    this.idleText = text;
    this.refreshWho();
  }

  speaking() {
    if (this.learnerUntil > performance.now()) return "learner";
    return this.tutorPlaying ? "tutor" : "none";
  }

  refreshWho() {
    const who = this.speaking();
    if (this.root.dataset.speaking !== who) this.root.dataset.speaking = who;
    const text = WHO[who] || this.idleText;
    if (this.whoText.textContent !== text) this.whoText.textContent = text;
  }

  // The line being spoken now, large, beside the button; the transcript keeps the history.
  caption(speaker, text, settled) {
    this.captionBox.dataset.speaker = speaker;
    this.captionBox.classList.toggle("settled", settled);
    this.captionBox.querySelector(".live-caption-who").textContent = speaker === "tutor" ? gettext("Tutor") : gettext("You");
    this.captionBox.querySelector(".live-caption-text").textContent = text;
  }

  clock(seconds) {
    const whole = Math.max(0, Math.floor(seconds));
    this.clockValue.textContent = window.l10n.clock(whole);
    this.clockValue.setAttribute("datetime", `PT${whole}S`);
  }

  trial(secondsLeft) {
    if (!this.trialLeft) return;
    const left = Math.max(0, Math.ceil(secondsLeft));
    this.trialLeft.textContent = window.l10n.number(left);
    this.trialLeft.parentElement.classList.toggle("trial-low", left <= 10);
  }
}
