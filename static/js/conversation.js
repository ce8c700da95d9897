// The conversation page: wires the microphone, the speaker, the WebSocket and the view.
// Its state is mirrored on window.tertulia for tests and debugging: read it, never drive it.

import { Microphone, Speaker } from "./conversation/audio.js";
import { sendTyped } from "./conversation/fallback.js";
import { MIC_PROBLEMS } from "./conversation/messages.js";
import { LiveSocket } from "./conversation/socket.js";
import { Stage } from "./conversation/stage.js";
import { Talk } from "./conversation/talk.js";
import { Notice, Phrases, Targets, Transcript } from "./conversation/view.js";
import { WireAudio } from "./conversation/opus.js";

const NOMINAL_RATE = 48000; // declared when there is no microphone: no audio will follow
const END_WAIT_MS = 4000;

const $ = (id) => document.getElementById(id);

class Conversation {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.debug = window.tertulia = {
      state: "idle", mic: "off", mode: "voice", speaking: "none",
      playedSamples: 0, capturedFrames: 0, flushes: 0, droppedSamples: 0, playback: [],
      events: [], captions: [], drops: 0,
      transcript: () => this.transcript.finals(),
    }; // prettier-ignore
    this.stage = new Stage(root);
    this.notice = new Notice($("notice"));
    this.transcript = new Transcript($("transcript"), {
      language: config.language,
      correctionStyle: config.correctionStyle,
      announcer: $("announcer"),
      empty: $("transcript-empty"),
      onCaption: (speaker, text, settled) => this.stage.caption(speaker, text, settled),
    });
    this.targets = new Targets($("targets"), $("targets-count"));
    this.phrases = new Phrases($("phrases"), $("phrases-count"), $("phrases-empty"), config.language);
    this.mic = new Microphone(root.dataset.captureWorklet, {
      onFrame: (pcm) => this.sendAudio(pcm),
      onLevel: (level) => this.stage.level(level),
    });
    this.speaker = new Speaker(root.dataset.playbackWorklet, (report) => this.playback(report));
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.socket = new LiveSocket(`${scheme}://${location.host}${config.wsPath}`, {
      graceMs: config.reconnectGraceSeconds * 1000,
      onOpen: () => {},
      onEvent: (msg) => this.event(msg),
      onAudio: (buffer) => this.wire.receive(buffer),
      onDrop: () => this.dropped(),
      onClosed: (code) => this.closed(config.closes[code] || config.closes.dropped, code),
      onGaveUp: () => this.closed(config.closes.dropped, "dropped"),
      onBlocked: () => this.textMode(),
    });
    // Opus both ways when WebCodecs can (about 25x fewer bytes), PCM otherwise.
    this.wire = new WireAudio({
      opusRates: config.opusRates,
      sendFrame: (frame) => this.socket.sendAudio(frame),
      play: (pcm) => this.speaker.play(pcm),
      debug: this.debug,
    });
    this.startedAt = Date.parse(root.dataset.startedAt) || Date.now();
    this.mode = "voice"; // or "text": WebSockets blocked, typed lines go over HTTP
    this.queue = []; // typed lines waiting for the socket
    this.trialLeft = config.trial ? config.trialSeconds : null;
    this.trialDeadline = null;
    const { stage, mic, speaker, socket, debug } = this;
    this.talk = new Talk({ stage, mic, speaker, socket, debug });
  }

  bind() {
    this.stage.button.addEventListener("click", () => this.pressed());
    this.talk.bind($("push-to-talk"));
    $("type-form").addEventListener("submit", (e) => this.typed(e));
    $("end-form").addEventListener("submit", (e) => this.end(e));
  }

  setState(state) {
    this.state = this.debug.state = this.root.dataset.state = state;
  }

  // -- starting, the microphone and push-to-talk ---------------------------------------

  async begin(withMic) {
    if (this.begun) return;
    this.begun = true;
    this.speaker.start().catch(() => {
      this.notice.show("audio", "warn", "Tutor audio can't play in this browser; captions still work.");
    });
    this.setState("connecting");
    this.stage.setMode("connecting");
    this.stage.setIdleText("Connecting…");
    const rate = withMic ? await this.startMic() : null;
    if (!withMic) this.stage.setMode("nomic", "Typing. Press to turn on your microphone and talk.");
    this.declaredRate = rate || NOMINAL_RATE;
    await this.wire.prepare(rate);
    this.socket.connect(this.startMessage());
    this.clock = setInterval(() => this.tick(), 500);
  }

  startMessage() {
    return this.wire.startMessage(this.declaredRate);
  }

  async startMic() {
    this.debug.mic = "starting";
    try {
      await this.mic.start();
    } catch (error) {
      this.micFailed(error.kind || "failed");
      return null;
    }
    this.notice.clear("mic");
    // The checkbox itself, not a change event: it may have been ticked (or restored by the
    // browser) before this script ran.
    this.talk.setPushToTalk($("push-to-talk").checked);
    return this.mic.sampleRate;
  }

  micFailed(kind) {
    this.debug.mic = kind;
    this.stage.setMode("nomic", MIC_PROBLEMS[kind].hint);
    this.stage.setIdleText("Typing mode");
    this.notice.show("mic", "warn", MIC_PROBLEMS[kind].text, [
      { label: "Try the microphone again", onClick: () => this.retryMic(), primary: true },
      { label: "Type instead", onClick: () => $("typed").focus() },
    ]);
  }

  async retryMic() {
    if (!this.begun) return this.begin(true);
    if (this.mode === "text") return this.retryVoice();
    if (this.retrying) return;
    this.retrying = true;
    this.speaker.resume();
    const rate = await this.startMic();
    this.retrying = false;
    if (rate && rate !== this.declaredRate) {
      // A socket's audio format is fixed by its first `start`: declare the new rate afresh.
      this.declaredRate = rate;
      await this.wire.prepare(rate);
      this.socket.restart(this.startMessage());
    }
  }

  pressed() {
    const mode = this.stage.mode;
    if (mode === "idle") this.begin(true);
    else if (mode === "nomic") this.retryMic();
    else this.talk.toggle();
  }

  sendAudio(pcm) {
    if (!this.ready || !this.wire.send(pcm)) return;
    this.debug.capturedFrames += 1;
    this.activity();
  }

  // The trial clock starts with the first audio or typed line the server receives.
  activity() {
    if (this.trialLeft !== null && this.trialDeadline === null) {
      this.trialDeadline = Date.now() + this.trialLeft * 1000;
    }
  }

  tick() {
    this.stage.clock((Date.now() - this.startedAt) / 1000);
    if (this.trialLeft === null) return;
    const left = this.trialDeadline === null ? this.trialLeft : (this.trialDeadline - Date.now()) / 1000;
    this.stage.trial(left);
  }

  playback(report) {
    Object.assign(this.debug, {
      playedSamples: report.played,
      flushes: report.flushes,
      droppedSamples: report.dropped,
      buffered: report.buffered,
    });
    if (report.type !== "stats" && this.debug.playback.length < 500) this.debug.playback.push(report);
    if (report.type === "started") this.stage.setTutorPlaying(true);
    if (report.type === "idle" || report.type === "flushed") this.stage.setTutorPlaying(false);
    this.debug.speaking = this.stage.speaking();
  }

  // -- events from the server --------------------------------------------------------

  event(msg) {
    if (this.debug.events.length < 1000) this.debug.events.push(msg.type);
    const handler = {
      ready: () => this.readied(msg),
      transcript: () => this.caption(msg),
      correction: () => this.transcript.correction(msg),
      phrase: () => this.phrases.add(msg),
      targets: () => this.targets.mark(msg.used),
      interrupted: () => {
        this.speaker.flush();
        this.wire.flush();
      },
      reconnecting: () =>
        this.notice.show("upstream", "info", "Reconnecting to the tutor… your transcript is kept."),
      resumed: () => this.notice.clear("upstream"),
      trial_ended: () => this.trialOver(msg.signupUrl),
      error: () => this.serverError(msg.message || "Something went wrong."),
      ended: () => this.serverEnded(),
    }[msg.type];
    if (handler) handler();
  }

  readied(msg) {
    const again = this.everReady;
    this.ready = this.everReady = true;
    this.wire.negotiated(msg);
    this.setState("live");
    this.notice.clear("drop");
    if (again) {
      this.notice.clear("error");
      // Whatever finished while the socket was down is not sent again: close open captions.
      this.transcript.settleDrafts();
    }
    if (msg.trial && typeof msg.trialSecondsLeft === "number") {
      this.trialLeft = msg.trialSecondsLeft;
      // Less than a full trial left: the server's clock is already running.
      if (msg.trialSecondsLeft < this.config.trialSeconds) {
        this.trialDeadline = Date.now() + msg.trialSecondsLeft * 1000;
      }
    }
    const idle = { on: "Listening…", muted: "Muted", ptt: "Hold to talk" }[this.stage.mode];
    this.stage.setIdleText(idle || "Typing mode");
    for (const { text, item } of this.queue.splice(0)) this.sendText(text, item);
  }

  caption(msg) {
    if (!msg.final) {
      this.transcript.draft(msg.speaker, msg.caption);
      return;
    }
    this.transcript.final(msg);
    const { speaker, text, turn, interrupted, source } = msg;
    // A line completed by late transcription replaces its own entry, not a new one.
    const known = msg.amends && this.debug.captions.find((c) => c.turn === turn);
    if (known) known.text = text;
    else this.debug.captions.push({ speaker, text, turn, interrupted, source });
  }

  dropped() {
    this.ready = false;
    this.debug.drops += 1;
    this.setState("reconnecting");
    this.notice.show("drop", "warn", "Connection lost — reconnecting… your transcript is kept.");
  }

  // The socket is closed for good, or until the learner acts: `notice` is the server's for
  // this close (tutor/conversation/close_notices.py), `key` names it.
  closed(notice, key) {
    this.ready = false;
    if (this.leaving) return this.onEnded && this.onEnded();
    if (this.state === "trial-over") return;
    if (notice.trialInvite && this.config.trial) return this.trialOver(this.config.signupUrl);
    this.setState(notice.state);
    if (notice.final) this.stop();
    else this.talk.pause();
    // An upstream failure comes with the server's reason just before the close: keep it.
    const text = notice.afterError && this.lastError ? `${this.lastError} ${notice.text}` : notice.text;
    this.lastError = null;
    const actions = notice.actions.map((action) => ({
      label: action.label,
      primary: action.primary,
      onClick: () => this.act(action.act),
      href: action.act === "login" ? `${this.root.dataset.loginUrl}?next=${location.pathname}` : undefined,
    }));
    this.notice.show(`closed-${key}`, notice.tone, text, actions);
  }

  act(what) {
    if (what === "reconnect") {
      this.notice.clear();
      this.setState("connecting");
      this.socket.restart(this.startMessage());
      this.talk.resume();
    } else if (what === "reload") {
      location.reload();
    } else if (what === "review") {
      $("end-form").requestSubmit();
    } else if (what === "home") {
      location.assign("/");
    }
  }

  serverError(message) {
    this.lastError = message;
    this.notice.show("error", "error", message);
  }

  serverEnded() {
    if (this.onEnded) this.onEnded();
  }

  stop() {
    this.mic.stop();
    this.debug.mic = "off";
    this.socket.stop();
    this.stage.setMode("ended");
    this.stage.setIdleText("Finished");
    clearInterval(this.clock);
  }

  trialOver(signupUrl) {
    if (this.state === "trial-over") return;
    this.setState("trial-over");
    this.stop();
    this.stage.trial(0);
    $("typed").disabled = true;
    $("type-send").disabled = true;
    const invite = $("invite");
    if (signupUrl) $("invite-signup").href = signupUrl;
    invite.hidden = false;
    invite.focus();
  }

  // -- typing, and the text mode when WebSockets are blocked ---------------------------

  textMode() {
    this.mode = this.debug.mode = "text";
    this.setState("text");
    this.mic.stop();
    this.debug.mic = "off";
    this.stage.setMode("nomic", "Voice needs a live connection, which this network blocks.");
    this.stage.setIdleText("Text mode");
    this.notice.show(
      "blocked",
      "warn",
      "Live voice can't connect from this network, so we've switched to text. Type below and the tutor answers in writing.",
      [{ label: "Try voice again", onClick: () => this.retryVoice() }],
    );
    for (const { text, item } of this.queue.splice(0)) this.typedOverHttp(text, item);
  }

  async retryVoice() {
    this.mode = this.debug.mode = "voice";
    this.notice.clear("blocked");
    this.setState("connecting");
    const rate = this.mic.context ? this.mic.sampleRate : await this.startMic();
    this.declaredRate = rate || this.declaredRate;
    await this.wire.prepare(rate || null);
    this.socket.restart(this.startMessage(), { fresh: true });
  }

  typed(event) {
    event.preventDefault();
    const input = $("typed");
    const text = input.value.trim();
    if (!text || this.state === "trial-over" || this.leaving) return;
    input.value = "";
    if (!this.begun) this.begin(false);
    const item = this.transcript.pending("learner", text);
    if (this.mode === "text") this.typedOverHttp(text, item);
    else if (this.ready) this.sendText(text, item);
    else this.queue.push({ text, item });
  }

  // Over the socket the server echoes the line as a final transcript, which settles `item`.
  sendText(text, item) {
    if (this.socket.send({ type: "text", text })) this.activity();
    else this.queue.push({ text, item });
  }

  async typedOverHttp(text, item) {
    this.activity();
    this.transcript.draft("tutor", "…");
    const csrf = document.querySelector("#type-form [name=csrfmiddlewaretoken]").value;
    const reply = await sendTyped(this.config.messageUrl, text, csrf);
    this.transcript.dropDraft("tutor");
    if (reply.ok) {
      for (const speaker of ["learner", "tutor"]) {
        const { text: said, turn } = reply.body[speaker];
        this.caption({ type: "transcript", speaker, text: said, turn, final: true, source: "typed" });
      }
      this.targets.mark(reply.body.targets || []);
      // The tutor's notes about this line, drawn as the socket's events are.
      for (const note of reply.body.corrections || []) this.event({ type: "correction", ...note });
      for (const note of reply.body.phrases || []) this.event({ type: "phrase", ...note });
      return;
    }
    if (reply.body.error === "trial_over") {
      this.trialOver(reply.body.signupUrl);
      return;
    }
    item.classList.add("turn-failed");
    const message = reply.body.message || "That didn't send. Check your connection and try again.";
    this.notice.show("typed", "error", message);
  }

  // -- the end -------------------------------------------------------------------------

  async end(event) {
    if (this.leaving) return; // the second, programmatic submit goes through
    event.preventDefault();
    this.leaving = true;
    $("end-button").textContent = "Ending…";
    this.mic.stop();
    this.speaker.flush();
    if (this.socket.open) {
      // Let the server write the last turns before the review page reads them.
      const done = new Promise((resolve) => {
        this.onEnded = resolve;
        setTimeout(resolve, END_WAIT_MS);
      });
      this.socket.send({ type: "end" });
      await done;
    }
    this.socket.stop();
    $("end-form").submit();
  }
}

const config = JSON.parse($("conversation-config").textContent);
new Conversation($("talk"), config).bind();
