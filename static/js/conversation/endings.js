// How a conversation on the page stops: a closed socket and its notice, the trial running
// out, the server's end, and the learner's End button. Methods of the page's Conversation
// (static/js/conversation.js), mixed into its prototype.

const { gettext, pgettext } = window; // the djangojs catalog (base.html loads it first)
const $ = (id) => document.getElementById(id);
const END_WAIT_MS = 4000; // how long End waits for the server to write the last turns

export const endings = {
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
  },

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
  },

  serverError(message) {
    this.lastError = message;
    this.notice.show("error", "error", message);
  },

  serverEnded() {
    if (this.onEnded) this.onEnded();
  },

  stop() {
    this.mic.stop();
    this.debug.mic = "off";
    this.socket.stop();
    this.stage.setMode("ended");
    this.stage.setIdleText(pgettext("the conversation's state", "Finished"));
    clearInterval(this.clock);
  },

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
  },

  async end(event) {
    if (this.leaving) return; // the second, programmatic submit goes through
    event.preventDefault();
    this.leaving = true;
    $("end-button").textContent = gettext("Ending…");
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
  },
};
