// "What could I say?": two or three replies the learner could say next, from the server
// (tutor/hints.py), each with a gloss. Choosing one puts it in the typing box; the learner
// then says it or sends it, so it is their own turn. Alt+H (Option+H on a Mac) asks from
// anywhere on the page; Escape closes the panel. Announced through the transcript's live region.

import { el } from "./panels.js";

const { gettext, interpolate, ngettext } = window; // the djangojs catalog (base.html loads it first)

const FAILED = gettext("Suggestions didn't load. Check your connection and try again.");

export class Hints {
  // parts: { button, panel, list, status, input, csrf, url, language, nativeLanguage,
  //          notice, announce(text), onTrialOver(signupUrl), debug }
  constructor(parts) {
    Object.assign(this, parts);
    this.busy = false;
  }

  bind() {
    this.button.addEventListener("click", () => this.ask());
    document.addEventListener("keydown", (event) => {
      // event.code, not event.key: Option+H types "˙" on a Mac.
      if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyH") {
        event.preventDefault();
        this.ask();
      } else if (event.key === "Escape" && !this.panel.hidden && this.panel.contains(document.activeElement)) {
        this.close();
      }
    });
    this.panel.querySelector("[data-hints-close]")?.addEventListener("click", () => this.close());
  }

  async ask() {
    if (this.busy) return;
    this.busy = true;
    this.button.setAttribute("aria-busy", "true");
    this.open(gettext("Finding something you could say…"));
    this.announce(gettext("Finding something you could say…"));
    const reply = await this.post(this.url, {});
    this.busy = false;
    this.button.removeAttribute("aria-busy");
    if (reply.ok) return this.show(reply.body);
    if (reply.body.error === "trial_over") {
      this.close();
      return this.onTrialOver(reply.body.signupUrl);
    }
    const message = reply.body.message || FAILED;
    this.status.textContent = message;
    this.notice.show("hints", "error", message);
  }

  show({ suggestions, chosenUrl, hint }) {
    this.chosenUrl = chosenUrl;
    this.debug.hints = { hint, suggestions };
    this.notice.clear("hints");
    this.status.textContent = gettext("Choose one to put it in the typing box, then say it or send it.");
    this.list.replaceChildren(
      ...suggestions.map((suggestion, index) => {
        const choice = el("button", "hint-choice");
        choice.type = "button";
        const text = el("span", "hint-text", suggestion.text);
        text.lang = this.language;
        const gloss = el("span", "hint-gloss", suggestion.gloss);
        if (this.nativeLanguage) gloss.lang = this.nativeLanguage;
        choice.append(text, gloss);
        choice.addEventListener("click", () => this.choose(index, suggestion.text));
        const item = el("li", "hint");
        item.append(choice);
        return item;
      }),
    );
    const heard = suggestions.map((s) => `${s.text} (${s.gloss})`).join("; ");
    const count = suggestions.length;
    const said = ngettext("%(count)s thing you could say: %(list)s", "%(count)s things you could say: %(list)s", count);
    this.announce(interpolate(said, { count: window.l10n.number(count), list: heard }, true));
    this.list.querySelector("button")?.focus();
  }

  async choose(index, text) {
    this.input.value = text;
    this.input.focus();
    this.close(false);
    this.announce(interpolate(gettext("In the typing box: %(text)s. Say it, or press Enter to send it."), { text }, true));
    // Only a note for the review page: nothing for the learner to see if it fails.
    if (this.chosenUrl) this.debug.hintChosen = (await this.post(this.chosenUrl, { index })).status;
  }

  open(status) {
    this.panel.hidden = false;
    this.button.setAttribute("aria-expanded", "true");
    this.status.textContent = status;
    this.list.replaceChildren();
  }

  close(refocus = true) {
    this.panel.hidden = true;
    this.button.setAttribute("aria-expanded", "false");
    if (refocus) this.button.focus();
  }

  async post(url, body) {
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": this.csrf() },
        body: JSON.stringify(body),
      });
      let data = {};
      try {
        data = await response.json();
      } catch {
        // an HTML error page: keep the status, use our own message
      }
      return { ok: response.ok, status: response.status, body: data };
    } catch {
      return { ok: false, status: 0, body: {} };
    }
  }
}
