// Typed lines on the conversation page, and the text mode when WebSockets are blocked:
// methods of the page's Conversation (static/js/conversation.js), mixed into its prototype.

import { sendTyped } from "./fallback.js";

const { gettext } = window; // the djangojs catalog (base.html loads it first)
const $ = (id) => document.getElementById(id);

export const typing = {
  textMode() {
    this.mode = this.debug.mode = "text";
    this.setState("text");
    this.mic.stop();
    this.debug.mic = "off";
    this.stage.setMode("nomic", gettext("Voice needs a live connection, which this network blocks."));
    this.stage.setIdleText(gettext("Text mode"));
    this.notice.show(
      "blocked",
      "warn",
      gettext(
        "Live voice can't connect from this network, so we've switched to text. Type below and the tutor answers in writing.",
      ),
      [{ label: gettext("Try voice again"), onClick: () => this.retryVoice() }],
    );
    for (const { text, item } of this.queue.splice(0)) this.typedOverHttp(text, item);
  },

  async retryVoice() {
    this.mode = this.debug.mode = "voice";
    this.notice.clear("blocked");
    this.setState("connecting");
    const rate = this.mic.context ? this.mic.sampleRate : await this.startMic();
    this.declaredRate = rate || this.declaredRate;
    await this.wire.prepare(rate || null);
    this.socket.restart(this.startMessage(), { fresh: true });
  },

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
  },

  // Over the socket the server echoes the line as a final transcript, which settles `item`.
  sendText(text, item) {
    if (this.socket.send({ type: "text", text })) this.activity();
    else this.queue.push({ text, item });
  },

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
      for (const note of reply.body.upgrades || []) this.event({ type: "upgrade", ...note });
      return;
    }
    if (reply.body.error === "trial_over") {
      this.trialOver(reply.body.signupUrl);
      return;
    }
    item.classList.add("turn-failed");
    // The server's message is already in the learner's language.
    const message = reply.body.message || gettext("That didn't send. Check your connection and try again.");
    this.notice.show("typed", "error", message);
  },
};
