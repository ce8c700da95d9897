// The group room's typed fallback (static/js/group.js switches to it when the room's socket
// cannot connect): lines typed into the room go over HTTP (POST messageUrl), and the room is
// read by polling the member's own copy (GET linesUrl): everyone's lines with their names, the
// tutor's answers, and the tutor's notes on this member's own lines. The server decides where
// a line goes (the room's Live session, or the text tutor when nobody is live).

import { sendTyped } from "./conversation/fallback.js";

const gettext = globalThis.gettext || ((text) => text);
const POLL_MS = 2000; // a chat's pace; the server reads one copy's new rows, cheap
const HIDDEN_POLL_MS = 10000; // a page in the background still keeps up, slowly
const REREAD = 3; // lines read again at each poll (their words may have grown since)
const AFTER_SEND_MS = 300; // a line just sent: read it back (and the text tutor's answer) soon

export class TextRoom {
  // handlers: onLine({turn, speaker, name, text}), onNote({turn, kind, better, explanation}),
  // onEnded(), onProblem(message or null)
  constructor(config, handlers) {
    this.config = config;
    this.handlers = handlers;
    this.after = -1; // the last line read (its ordinal in this member's copy, from 0)
    this.corrections = 0; // the last note read, by id, per kind
    this.upgrades = 0;
    this.timer = null;
    this.stopped = false;
    this.failures = 0;
  }

  start() {
    this.poll();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  later(ms) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.poll(), ms);
  }

  async poll() {
    if (this.stopped || this.reading) return;
    this.reading = true;
    let body = null;
    let status = 0;
    try {
      // The last few lines are read again: a spoken line's stored words can still grow after
      // it was first read (late transcription amends it), and the page shows the final ones.
      const from = Math.max(-1, this.after - REREAD);
      const url = `${this.config.linesUrl}?after=${from}&c=${this.corrections}&u=${this.upgrades}`;
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      status = response.status;
      body = await response.json();
    } catch {
      body = null;
    } finally {
      this.reading = false;
    }
    if (!body || status !== 200) return this.failed(status, body);
    this.failures = 0;
    for (const line of body.lines) {
      this.after = Math.max(this.after, line.turn);
      this.handlers.onLine(line);
    }
    for (const note of body.corrections) {
      this.corrections = Math.max(this.corrections, note.id);
      this.handlers.onNote({ turn: note.turn, kind: "correction", better: note.corrected, explanation: note.explanation });
    }
    for (const note of body.upgrades) {
      this.upgrades = Math.max(this.upgrades, note.id);
      this.handlers.onNote({ turn: note.turn, kind: "upgrade", better: note.upgraded, explanation: note.explanation });
    }
    if (!body.open) {
      this.stop();
      this.handlers.onEnded();
      return;
    }
    if (body.more) return this.later(0);
    this.later(document.hidden ? HIDDEN_POLL_MS : POLL_MS);
  }

  failed(status, body) {
    // Signed out, or no longer allowed in: polling again will not help.
    if (status === 401 || status === 403 || status === 404) {
      this.stop();
      this.handlers.onProblem(body && body.message ? body.message : gettext("This group conversation is not available to you."));
      return;
    }
    this.failures += 1;
    if (this.failures === 3) this.handlers.onProblem(gettext("We can't reach the room right now. We'll keep trying."));
    this.later(Math.min(30000, POLL_MS * 2 ** this.failures));
  }

  // One typed line. True when the room took it (the input can be cleared).
  async send(text) {
    if (this.stopped) return false;
    const csrf = document.querySelector("#type-form [name=csrfmiddlewaretoken]");
    const result = await sendTyped(this.config.messageUrl, text, csrf ? csrf.value : "");
    const body = result.body || {};
    if (result.ok) {
      if (this.failures >= 3) this.handlers.onProblem(null);
      this.later(AFTER_SEND_MS);
      return true;
    }
    if (result.status === 410) {
      this.stop();
      this.handlers.onEnded();
      return false;
    }
    if (result.status === 503 && body.learnerTurn) {
      // The line is in the room; only the tutor's answer failed.
      this.later(AFTER_SEND_MS);
      this.handlers.onProblem(body.message || gettext("The tutor is unavailable right now."));
      return true;
    }
    this.handlers.onProblem(body.message || gettext("Your line could not be sent. Check your connection and try again."));
    return false;
  }
}
