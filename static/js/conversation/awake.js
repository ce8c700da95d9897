// Keeps a conversation going on a phone. While the microphone is live the screen stays on (a
// Screen Wake Lock), so the phone does not dim and lock mid-sentence; muting or ending lets it
// go. The browser drops the lock whenever the page is hidden, so it is asked for again when the
// page comes back; the audio contexts a phone suspended meanwhile are resumed, and a reconnect
// waiting out its backoff (timers crawl in a hidden tab) goes at once. Without the Wake Lock
// API (older browsers, plain http) the rest still works and nothing fails.

const LIVE_MODES = new Set(["on", "ptt", "holding"]); // the talk button's data-mode (stage.js)

export class Awake {
  constructor({ button, contexts, socket, debug }) {
    this.button = button;
    this.contexts = contexts; // () => the AudioContexts in use (microphone, speaker)
    this.socket = socket;
    this.debug = debug;
    this.sentinel = null;
    this.asking = false;
    debug.wakeLock = "off";
  }

  bind() {
    // The button's mode says whether the microphone is live; watching it needs no hook in
    // the modules that set it.
    new MutationObserver(() => this.update()).observe(this.button, {
      attributes: true,
      attributeFilter: ["data-mode"],
    });
    document.addEventListener("visibilitychange", () => this.visibility());
  }

  get live() {
    return LIVE_MODES.has(this.button.dataset.mode);
  }

  update() {
    if (this.live) this.hold();
    else this.release();
  }

  async hold() {
    if (this.sentinel || this.asking || document.visibilityState !== "visible") return;
    if (!navigator.wakeLock || typeof navigator.wakeLock.request !== "function") {
      this.debug.wakeLock = "unsupported";
      return;
    }
    this.asking = true;
    try {
      const sentinel = await navigator.wakeLock.request("screen");
      if (!this.live) {
        sentinel.release().catch(() => {}); // muted or ended while the browser answered
        return;
      }
      this.sentinel = sentinel;
      this.debug.wakeLock = "held";
      sentinel.addEventListener("release", () => {
        if (this.sentinel !== sentinel) return;
        this.sentinel = null; // the browser let go (page hidden): asked again on return
        this.debug.wakeLock = "released";
      });
    } catch {
      this.debug.wakeLock = "refused"; // battery saver, or a browser policy: the screen may dim
    } finally {
      this.asking = false;
    }
  }

  release() {
    const sentinel = this.sentinel;
    this.sentinel = null;
    if (!sentinel) return;
    this.debug.wakeLock = "released";
    sentinel.release().catch(() => {});
  }

  visibility() {
    if (document.visibilityState !== "visible") return;
    for (const context of this.contexts()) {
      // "suspended" (Android, a dimmed screen) or "interrupted" (iOS, a call or Siri).
      if (context && context.state !== "running" && context.state !== "closed") {
        context.resume().catch(() => {});
      }
    }
    this.socket.hurry();
    this.update();
  }
}
