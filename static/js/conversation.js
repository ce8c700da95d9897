// The conversation page: wires the microphone, the speaker, the WebSocket and the view;
// typing (conversation/typing.js) and the ways it stops (conversation/endings.js) are mixed in.
// Its state is mirrored on window.tertulia for tests and debugging: read it, never drive it.

import { Microphone, Speaker } from "./conversation/audio.js";
import { Awake } from "./conversation/awake.js";
import { endings } from "./conversation/endings.js";
import { Hints } from "./conversation/hints.js";
import { MIC_PROBLEMS } from "./conversation/messages.js";
import { LiveSocket } from "./conversation/socket.js";
import { Stage } from "./conversation/stage.js";
import { Talk } from "./conversation/talk.js";
import { typing } from "./conversation/typing.js";
import { Notice, Phrases, Targets } from "./conversation/panels.js";
import { Replay } from "./conversation/replay.js";
import { Transcript } from "./conversation/view.js";
import { WireAudio } from "./conversation/opus.js";

const { gettext } = window; // the djangojs catalog (base.html loads it first)

const NOMINAL_RATE = 48000; // declared when there is no microphone: no audio will follow

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
    this.replay = new Replay({
      again: $("replay-again"),
      slower: $("replay-slower"),
      hint: $("replay-hint"),
      announce: (text) => this.transcript.announce(text),
      pauseMic: () => this.pauseMicForReplay(),
      debug: this.debug,
    });
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
      play: (pcm) => {
        this.replay.keep(pcm); // copied first: the speaker transfers the buffer
        this.speaker.play(pcm);
      },
      debug: this.debug,
    });
    this.startedAt = Date.parse(root.dataset.startedAt) || Date.now();
    this.mode = "voice"; // or "text": WebSockets blocked, typed lines go over HTTP
    this.queue = []; // typed lines waiting for the socket
    this.trialLeft = config.trial ? config.trialSeconds : null;
    this.trialDeadline = null;
    const { stage, mic, speaker, socket, debug } = this;
    this.talk = new Talk({ stage, mic, speaker, socket, debug });
    this.hints = new Hints({
      button: $("hint-button"), panel: $("hints"), list: $("hint-list"), status: $("hints-status"),
      input: $("typed"), url: config.hintsUrl, language: config.language,
      nativeLanguage: config.nativeLanguage, notice: this.notice, debug,
      csrf: () => document.querySelector("#type-form [name=csrfmiddlewaretoken]").value,
      announce: (text) => this.transcript.announce(text),
      onTrialOver: (signupUrl) => this.trialOver(signupUrl),
    }); // prettier-ignore
    // On a phone: the screen stays on while the microphone is live; audio resumes on return.
    const contexts = () => [this.mic.context, this.speaker.context];
    this.awake = new Awake({ button: stage.button, contexts, socket, debug });
  }

  bind() {
    this.stage.button.addEventListener("click", () => this.pressed());
    this.talk.bind($("push-to-talk"));
    $("type-form").addEventListener("submit", (e) => this.typed(e));
    $("end-form").addEventListener("submit", (e) => this.end(e));
    this.hints.bind();
    this.awake.bind();
    this.replay.bind();
  }

  // While a replay plays the microphone sends nothing, so the tutor never hears it as the
  // learner; returns how to undo that.
  pauseMicForReplay() {
    if (this.stage.mode !== "on") return () => {};
    this.mic.setSending(false);
    return () => {
      if (this.stage.mode === "on") this.mic.setSending(true);
    };
  }

  setState(state) {
    this.state = this.debug.state = this.root.dataset.state = state;
  }

  // -- starting, the microphone and push-to-talk ---------------------------------------

  async begin(withMic) {
    if (this.begun) return;
    this.begun = true;
    this.speaker.start().catch(() => {
      this.notice.show("audio", "warn", gettext("Tutor audio can't play in this browser; captions still work."));
    });
    this.setState("connecting");
    this.stage.setMode("connecting");
    this.stage.setIdleText(gettext("Connecting…"));
    const rate = withMic ? await this.startMic() : null;
    if (!withMic) this.stage.setMode("nomic", gettext("Typing. Press to turn on your microphone and talk."));
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
    this.stage.setIdleText(gettext("Typing mode"));
    this.notice.show("mic", "warn", MIC_PROBLEMS[kind].text, [
      { label: gettext("Try the microphone again"), onClick: () => this.retryMic(), primary: true },
      { label: gettext("Type instead"), onClick: () => $("typed").focus() },
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
      upgrade: () => this.transcript.correction(msg), // drawn by upgrades.js
      phrase: () => this.phrases.add(msg),
      targets: () => this.targets.mark(msg.used),
      interrupted: () => {
        this.speaker.flush();
        this.wire.flush();
      },
      turn_complete: () => this.replay.lineEnded(),
      reconnecting: () =>
        this.notice.show("upstream", "info", gettext("Reconnecting to the tutor… your transcript is kept.")),
      resumed: () => this.notice.clear("upstream"),
      trial_ended: () => this.trialOver(msg.signupUrl),
      // msg.message is the server's, already in the learner's language.
      error: () => this.serverError(msg.message || gettext("Something went wrong.")),
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
    const idle = { on: gettext("Listening…"), muted: gettext("Muted"), ptt: gettext("Hold to talk") }[
      this.stage.mode
    ];
    this.stage.setIdleText(idle || gettext("Typing mode"));
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
    this.notice.show("drop", "warn", gettext("Connection lost — reconnecting… your transcript is kept."));
  }
}

// Typing and text mode (typing.js) and every way the conversation stops (endings.js).
Object.assign(Conversation.prototype, typing, endings);

const config = JSON.parse($("conversation-config").textContent);
new Conversation($("talk"), config).bind();
