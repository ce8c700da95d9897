// The conversation WebSocket: JSON control frames and binary audio both ways.
// A drop (1006, 1001, 1011…) is retried with backoff for the server's grace period
// (RECONNECT_GRACE_SECONDS, from the page's config), to the same path, repeating the same
// `start`. A close the server chose (1000, or an application code in the 4000s) is final.

const BACKOFF_MS = [300, 1000, 2000, 3000, 5000];
const ATTEMPTS_BEFORE_BLOCKED = 2; // never opened after this many tries: treat as blocked
const PING_MS = 20000;

export class LiveSocket {
  constructor(url, handlers) {
    this.url = url;
    // graceMs, onOpen(), onEvent(msg), onAudio(buf), onDrop(), onClosed(code), onGaveUp(), onBlocked()
    this.handlers = handlers;
    this.ws = null;
    this.start = null;
    this.everOpened = false;
    this.retry = 0;
    this.droppedAt = null;
    this.stopped = false;
    this.timer = null;
    this.pinger = null;
  }

  get open() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  connect(start) {
    this.start = start;
    this.stopped = false;
    clearTimeout(this.timer);
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (error) {
      // A CSP or an extension that forbids WebSockets throws here synchronously.
      this.failed();
      return;
    }
    ws.binaryType = "arraybuffer";
    ws.onopen = () => this.opened(ws);
    ws.onmessage = (event) => this.message(event);
    ws.onclose = (event) => this.closed(ws, event.code);
    this.ws = ws;
  }

  opened(ws) {
    if (ws !== this.ws) return;
    this.everOpened = true;
    this.retry = 0;
    this.droppedAt = null;
    ws.send(JSON.stringify(this.start));
    clearInterval(this.pinger);
    this.pinger = setInterval(() => this.send({ type: "ping" }), PING_MS);
    this.handlers.onOpen();
  }

  message(event) {
    if (typeof event.data !== "string") {
      this.handlers.onAudio(event.data);
      return;
    }
    let msg;
    try {
      msg = JSON.parse(event.data);
    } catch {
      return;
    }
    this.handlers.onEvent(msg);
  }

  closed(ws, code) {
    if (ws !== this.ws) return;
    clearInterval(this.pinger);
    this.ws = null;
    if (this.stopped) return;
    if (code === 1000 || (code >= 4000 && code < 5000)) {
      this.handlers.onClosed(code);
      return;
    }
    this.failed();
  }

  failed() {
    this.retry += 1;
    if (!this.everOpened && this.retry >= ATTEMPTS_BEFORE_BLOCKED) {
      this.handlers.onBlocked();
      return;
    }
    if (this.everOpened) {
      this.droppedAt ??= Date.now();
      if (Date.now() - this.droppedAt > this.handlers.graceMs) {
        this.handlers.onGaveUp();
        return;
      }
      this.handlers.onDrop();
    }
    const delay = BACKOFF_MS[Math.min(this.retry - 1, BACKOFF_MS.length - 1)];
    this.timer = setTimeout(() => this.connect(this.start), delay);
  }

  send(message) {
    if (!this.open) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  sendAudio(buffer) {
    if (!this.open || this.ws.bufferedAmount > 256 * 1024) return false; // drop, don't queue up lag
    this.ws.send(buffer);
    return true;
  }

  // Another `start` on this socket (a group page that listened turns its microphone on):
  // sent now if the socket is open, and repeated by every reconnect from now on.
  declare(start) {
    this.start = start;
    return this.send(start);
  }

  // Leave on purpose (end, another tab took over): no reconnect.
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    if (this.ws) this.ws.close(1000);
    this.ws = null;
  }

  // The page is in view again (conversation/awake.js): a reconnect waiting out its backoff,
  // whose timer crawled while the page was hidden, goes now.
  hurry() {
    if (this.stopped || this.ws || !this.start || !this.everOpened) return;
    this.connect(this.start);
  }

  // Reconnect now (a "Try again" button, or a new `start` format). `fresh`: a socket that
  // never opens counts as blocked again, as on a first visit.
  restart(start, { fresh = false } = {}) {
    if (fresh) this.everOpened = false;
    if (this.ws) {
      const old = this.ws;
      this.ws = null;
      old.close(1000);
    }
    this.droppedAt = null;
    this.retry = 0;
    this.connect(start || this.start);
  }
}
