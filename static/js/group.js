// The group room page (templates/lessons/groups/room.html): one socket to the room
// (/ws/groups/<uuid>/), the microphone and the tutor's voice through the conversation page's
// modules, and what the server says of the room: who is here (#members), who holds the floor
// (#floor, a polite live region), and captions with each speaker's name (#captions).
// The server decides everything (the floor, attribution, notes); this page draws it.
// Its state is mirrored on window.tertulia for tests: read it, never drive it.

import { Microphone, Speaker } from "./conversation/audio.js";
import { LiveSocket } from "./conversation/socket.js";
import { WireAudio } from "./conversation/opus.js";
import { el } from "./conversation/panels.js";
import { TextRoom } from "./group_text.js";

const $ = (id) => document.getElementById(id);
// base.html loads Django's JavaScript catalog (/jsi18n/) before page scripts; English as is
// where it has not (yet): the page must never break on a missing translation.
const gettext = globalThis.gettext || ((text) => text);
const interpolate =
  globalThis.interpolate || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key]));
// The page listens from the moment it opens, before any microphone, at the rate most
// microphones run at; Talk declares the microphone's own rate on the same socket.
const LISTEN_RATE = 48000;
const GRACE_MS = 20000; // the server keeps a member's place this long (RECONNECT_GRACE_SECONDS)
const FINAL_CODES = new Set([1000, 4401, 4403, 4408, 4410, 4502]);

function closeMessage(code) {
  switch (code) {
    case 1000: return gettext("This group conversation has ended.");
    case 4401: return gettext("Sign in to join this group conversation.");
    case 4403: return gettext("This group conversation is not available to you.");
    case 4409: return gettext("This room is open in another tab or window.");
    case 4410: return gettext("This group conversation has ended.");
    case 4408: return gettext("That's the longest a conversation can run.");
    case 4429: return gettext("Too much audio arrived at once.");
    case 4502: return gettext("The tutor is unavailable right now.");
    default: return gettext("We couldn't reconnect. Reload the page to try again.");
  }
} // prettier-ignore

class Room {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.me = config.me ? config.me.id : null;
    this.names = new Map(config.members.map((m) => [m.id, m.name]));
    this.debug = window.tertulia = {
      state: "idle", floor: null, queue: [], members: config.members, captions: [],
      corrections: [], events: [], playedSamples: 0, capturedFrames: 0, flushes: 0,
    }; // prettier-ignore
    this.button = $("talk-button");
    this.label = $("talk-label");
    this.drafts = new Map(); // speaker key -> caption <li> still growing
    this.mic = new Microphone(root.dataset.captureWorklet, {
      onFrame: (pcm) => {
        this.debug.capturedFrames += 1;
        this.wire.send(pcm);
      },
      onLevel: (level) => this.level(level),
    });
    this.speaker = new Speaker(root.dataset.playbackWorklet, (report) => {
      this.debug.playedSamples = report.played;
      this.debug.flushes = report.flushes;
    });
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.socket = new LiveSocket(`${scheme}://${location.host}${config.socketUrl}`, {
      graceMs: GRACE_MS,
      onOpen: () => this.setState("connecting"),
      onEvent: (msg) => this.event(msg),
      onAudio: (buffer) => this.wire.receive(buffer),
      onDrop: () => this.notice(gettext("Reconnecting…")),
      onClosed: (code) => this.closed(code),
      onGaveUp: () => this.closed("dropped"),
      onBlocked: () => this.textMode(),
    });
    this.wire = new WireAudio({
      opusRates: [8000, 12000, 16000, 24000, 48000],
      sendFrame: (frame) => this.socket.sendAudio(frame),
      // Until a gesture has started the speaker, a listening page drops the tutor's audio:
      // kept, it would pile up and play minutes late at the first click.
      play: (pcm) => this.speaker.context && this.speaker.play(pcm),
      debug: this.debug,
    });
  }

  bind() {
    this.listening = this.listen();
    // Hidden tabs slow timers down: a reconnect waiting out its backoff goes when the page is
    // seen again (as conversation/awake.js does on the conversation page).
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.socket.hurry();
    });
    // The tutor's voice may play only after a user gesture: a listener's first click or key.
    const unmute = () => this.speaker.start().catch(() => {});
    for (const kind of ["pointerdown", "keydown"]) document.addEventListener(kind, unmute, { once: true });
    if (this.button) this.button.addEventListener("click", () => this.pressed());
    const typeForm = $("type-form");
    if (typeForm) typeForm.addEventListener("submit", (e) => this.typed(e));
    const leave = $("leave-form");
    if (leave) leave.addEventListener("submit", (e) => this.leave(e, leave, { type: "leave" }));
    const end = $("end-form");
    if (end) end.addEventListener("submit", (e) => this.leave(e, end, { type: "end" }));
  }

  setState(state) {
    this.state = this.debug.state = this.root.dataset.state = state;
  }

  // -- the microphone ---------------------------------------------------------------------

  // The socket opens with the page, listening: presence, the floor and captions from the
  // start, without the microphone and without starting the tutor (the server starts it on a
  // `start` without `listen`). The first press of Talk (with the microphone) or the first typed
  // line (without: a learner with no microphone still takes part) sends that `start`, with the
  // microphone's rate if it differs; either is a user gesture, which the tutor's audio needs.
  async listen() {
    this.rate = LISTEN_RATE;
    await this.wire.prepare(this.rate);
    this.socket.connect({ ...this.wire.startMessage(this.rate), listen: true });
  }

  async join(withMic) {
    if (this.begun && (this.micOn || !withMic)) return true;
    await this.listening; // the wire's codecs, known before a format is declared
    this.speaker.start().catch(() => this.notice(gettext("Tutor audio can't play in this browser; captions still work.")));
    if (withMic) {
      try {
        await this.mic.start();
      } catch (error) {
        this.notice(gettext("We can't use your microphone. Check the browser's permission and try again."));
        return false;
      }
      this.micOn = true;
      if (this.mic.sampleRate !== this.rate) {
        this.rate = this.mic.sampleRate;
        await this.wire.prepare(this.rate);
      }
    }
    this.begun = true;
    this.socket.declare(this.wire.startMessage(this.rate));
    return true;
  }

  async pressed() {
    if (!this.micOn) {
      if (!(await this.join(true))) return;
      this.muted = false;
    } else {
      this.muted = !this.muted;
      if (this.muted) this.socket.send({ type: "pause" });
    }
    this.mic.setSending(!this.muted);
    this.button.setAttribute("aria-pressed", String(!this.muted));
    this.label.textContent = this.muted ? gettext("Unmute") : gettext("Mute");
  }

  async typed(event) {
    event.preventDefault();
    const input = $("typed");
    const text = input.value.trim();
    if (!text) return;
    if (this.text) return this.typedOverHttp(text, input);
    if (!(await this.join(false))) return;
    // Sent once the socket is open (its start first): a line typed while connecting waits,
    // and goes over HTTP if the socket turns out to be blocked.
    const send = () => {
      if (this.text) return this.typedOverHttp(text, input);
      if (!this.socket.open) return setTimeout(send, 100);
      this.socket.send({ type: "text", text });
      input.value = "";
    };
    send();
  }

  // -- text mode: the socket is blocked (group_text.js) ---------------------------------------

  textMode() {
    if (this.text) return;
    this.setState("text");
    this.debug.mode = "text";
    this.mic.stop();
    this.micOn = false;
    if (this.button) this.button.disabled = true;
    const hint = $("talk-hint");
    if (hint) hint.textContent = gettext("Voice needs a live connection, which this network blocks.");
    this.notice(gettext("Live voice can't connect from this network, so we've switched to text. Type below to take part; everyone's lines and the tutor's answers appear here."));
    this.text = new TextRoom(this.config, {
      onLine: (line) => this.polledLine(line),
      onNote: (note) => this.polledNote(note),
      onEnded: () => this.closed(4410),
      onProblem: (message) => this.notice(message || null),
    });
    this.text.start();
  }

  async typedOverHttp(text, input) {
    if (this.sending) return;
    this.sending = true;
    const sent = await this.text.send(text);
    this.sending = false;
    if (sent && input.value.trim() === text) input.value = "";
  }

  // A line of this member's copy, read over HTTP: `turn` is its ordinal there (not the
  // socket's room line number), kept apart in data-ordinal.
  polledLine(line) {
    const list = $("captions");
    if (!list) return;
    const known = list.querySelector(`[data-ordinal="${line.turn}"]`);
    if (known) {
      // Read again (group_text.js rereads the last lines): its words may have grown.
      const said = known.querySelector(".said");
      if (said.textContent !== line.text) said.textContent = line.text;
      const entry = this.debug.captions.find((c) => c.turn === line.turn);
      if (entry) entry.text = line.text;
      return;
    }
    const speaker = line.speaker === "tutor" ? "tutor" : "learner";
    const name = line.speaker === "tutor" ? gettext("Tutor") : line.speaker === "learner" ? gettext("You") : line.name || gettext("Someone");
    const item = el("li", `turn turn-${speaker}${line.speaker === "peer" ? " turn-peer" : ""}`);
    item.dataset.ordinal = String(line.turn);
    item.append(el("p", "turn-who who", name), el("p", "turn-text said", line.text));
    list.append(item);
    const empty = $("captions-empty");
    if (empty) empty.hidden = true;
    this.debug.captions.push({ turn: line.turn, speaker, member: null, name, text: line.text, peer: line.speaker === "peer" });
    $("announcer").textContent = `${name}: ${line.text}`;
    item.scrollIntoView({ block: "nearest", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  } // prettier-ignore

  polledNote(note) {
    this.debug.corrections.push({ turn: note.turn, kind: note.kind, better: note.better });
    const item = $("captions").querySelector(`[data-ordinal="${note.turn}"]`);
    if (!item) return;
    const better = el("p", "correction", `→ ${note.better}`);
    if (note.explanation) better.append(el("span", "muted", ` — ${note.explanation}`));
    item.append(better);
  }

  level(value) {
    const fill = $("meter-fill");
    const meter = $("meter");
    if (!fill || !meter) return;
    const percent = Math.round(Math.min(1, value * 4) * 100);
    fill.style.width = `${percent}%`;
    meter.setAttribute("aria-valuenow", String(percent));
  }

  // -- leaving ----------------------------------------------------------------------------

  // Leave (anyone) or End (the room's creator, for everyone): the socket says so first, so
  // the room's runtime hears it at once, then the form posts as it would without JavaScript.
  leave(event, form, message) {
    event.preventDefault();
    if (this.socket.open && message.type === "end") this.socket.send(message);
    setTimeout(() => {
      this.socket.stop();
      this.mic.stop();
      form.submit();
    }, message.type === "end" ? 1500 : 0);
  }

  // -- what the server says ---------------------------------------------------------------

  event(msg) {
    if (this.debug.events.length < 2000) this.debug.events.push(msg.type);
    switch (msg.type) {
      case "ready":
        this.wire.negotiated(msg);
        this.setState(msg.listening ? "listening" : "live");
        this.notice(null);
        break;
      case "presence": this.presence(msg.members); break;
      case "floor": this.floor(msg.holder, msg.queue || []); break;
      case "transcript": this.caption(msg); break;
      case "correction":
      case "upgrade": this.note(msg); break;
      case "phrase": this.phrase(msg); break;
      case "interrupted":
        this.speaker.flush();
        this.wire.flush();
        break;
      case "error": this.notice(msg.message); break;
      case "ended":
        this.setState("ended");
        break;
      default: break;
    }
  } // prettier-ignore

  presence(members) {
    this.debug.members = members;
    const list = $("members");
    if (!list) return;
    list.replaceChildren();
    for (const m of members) {
      this.names.set(m.id, m.name);
      const item = el("li", `member${m.present ? " member-present" : ""}`);
      item.dataset.memberId = String(m.id);
      item.dataset.present = String(m.present);
      item.dataset.floor = String(m.id === this.debug.floor);
      item.append(el("span", "presence-dot"), el("span", "member-name", m.name));
      item.firstChild.setAttribute("aria-hidden", "true");
      if (m.id === this.me) item.append(" ", el("span", "muted", `(${gettext("you")})`));
      item.append(el("span", "member-state muted", m.present ? gettext("here") : gettext("away")));
      list.append(item);
    }
    const count = $("members-count");
    // "3/6" as the server wrote it: the number here first, then the room's size as it was.
    if (count) count.textContent = [globalThis.l10n.number(members.length), ...count.textContent.split("/").slice(1)].join("/");
    const empty = $("members-empty");
    if (empty) empty.hidden = members.length > 0;
  }

  floor(holder, queue) {
    this.debug.floor = holder;
    this.debug.queue = queue;
    const floor = $("floor");
    const text = $("floor-text");
    if (floor) floor.dataset.holder = holder === null ? "" : String(holder);
    if (text) {
      if (holder === null) text.textContent = gettext("Nobody has the floor");
      else if (holder === this.me) text.textContent = gettext("You have the floor");
      else text.textContent = interpolate(gettext("%(name)s has the floor"), { name: this.names.get(holder) || "?" }, true);
    }
    const waiting = $("floor-queue");
    if (waiting) {
      const names = queue.map((id) => (id === this.me ? gettext("you") : this.names.get(id) || "?"));
      waiting.hidden = names.length === 0;
      waiting.textContent = interpolate(gettext("Next: %(names)s"), { names: globalThis.l10n.list(names) }, true);
    }
    for (const item of document.querySelectorAll("#members .member")) {
      item.dataset.floor = String(item.dataset.memberId === String(holder));
    }
  }

  speakerName(msg) {
    if (msg.speaker === "tutor") return gettext("Tutor");
    if (msg.member && msg.member.id === this.me) return gettext("You");
    return msg.member ? msg.member.name : gettext("Someone");
  }

  caption(msg) {
    const list = $("captions");
    if (!list) return;
    const key = msg.speaker === "tutor" ? "tutor" : `m${msg.member ? msg.member.id : "?"}`;
    let item = msg.final && msg.amends ? list.querySelector(`[data-turn="${msg.turn}"]`) : this.drafts.get(key);
    if (!item) {
      item = el("li", `turn turn-${msg.speaker}`);
      // The conversation page's bubbles (conversation.css): the name above the words.
      item.append(el("p", "turn-who who", this.speakerName(msg)), el("p", "turn-text said"));
      list.append(item);
      if (!msg.final) this.drafts.set(key, item);
      const empty = $("captions-empty");
      if (empty) empty.hidden = true;
    }
    if (msg.speaker === "learner" && msg.member && msg.member.id !== this.me) item.classList.add("turn-peer");
    item.querySelector(".said").textContent = msg.final ? msg.text : msg.caption;
    item.classList.toggle("turn-draft", !msg.final); // still growing: drawn as a draft
    if (!msg.final) return;
    this.drafts.delete(key);
    item.dataset.turn = String(msg.turn);
    const entry = { turn: msg.turn, speaker: msg.speaker, member: msg.member ? msg.member.id : null, name: this.speakerName(msg), text: msg.text };
    const known = this.debug.captions.findIndex((c) => c.turn === msg.turn);
    if (known >= 0) this.debug.captions[known] = entry;
    else this.debug.captions.push(entry);
    if (!msg.amends) $("announcer").textContent = `${entry.name}: ${msg.text}`;
    item.scrollIntoView({ block: "nearest", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  } // prettier-ignore

  // Only this member's own lines get notes (the server sends them to the speaker alone).
  note(msg) {
    this.debug.corrections.push({ turn: msg.turn, kind: msg.type, better: msg.corrected || msg.upgraded });
    const item = $("captions").querySelector(`[data-turn="${msg.turn}"]`);
    if (!item) return;
    const better = el("p", "correction", `→ ${msg.corrected || msg.upgraded}`);
    if (msg.explanation) better.append(el("span", "muted", ` — ${msg.explanation}`));
    item.append(better);
  }

  phrase(msg) {
    const list = $("phrases");
    if (!list) return;
    list.append(el("li", "phrase", msg.translation ? `${msg.text} — ${msg.translation}` : msg.text));
    $("phrases-count").textContent = String(list.children.length);
    $("phrases-empty").hidden = true;
  }

  closed(code) {
    if (this.text && code !== 4410) return; // text mode goes on over HTTP
    if (this.text) this.text.stop();
    this.setState(FINAL_CODES.has(code) ? "ended" : "closed");
    this.mic.stop();
    if (this.button) this.button.disabled = true;
    this.notice(closeMessage(code), code === 1000 || code === 4410 ? this.config.reviewUrl : null);
  }

  notice(text, link = null) {
    const box = $("notice");
    if (!box) return;
    box.hidden = !text;
    $("notice-text").textContent = text || "";
    const actions = $("notice-actions");
    actions.replaceChildren();
    if (link) {
      const a = el("a", "button", gettext("Review your part of it"));
      a.href = link;
      actions.append(a);
    }
  }
}

const root = $("talk");
const configNode = $("group-config");
if (root && configNode) {
  const config = JSON.parse(configNode.textContent);
  if (config.open && config.me) new Room(root, config).bind();
}
