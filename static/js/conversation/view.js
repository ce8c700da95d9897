// The transcript the learner sees: live captions that settle into turns, and correction cards
// beside the turn they refer to. Words are joined on the server: a partial transcript brings
// the whole caption so far. The panels and the notice are panels.js.

import { el } from "./panels.js";
import { isUpgrade, upgradeAnnouncement, upgradeCard } from "./upgrades.js";

const { gettext, interpolate, pgettext } = window; // the djangojs catalog (base.html loads it first)

const KIND_LABELS = {
  grammar: gettext("Grammar"),
  vocabulary: gettext("Vocabulary"),
  pronunciation: gettext("Pronunciation"),
  register: gettext("Register"),
};
// A correction card's name for screen readers: whole phrases, not a kind plus "correction".
const CARD_LABELS = {
  grammar: gettext("Grammar correction"),
  vocabulary: gettext("Vocabulary correction"),
  pronunciation: gettext("Pronunciation correction"),
  register: gettext("Register correction"),
};
const WHO = { tutor: gettext("Tutor"), learner: gettext("You") };
const TYPED = pgettext("a line the learner typed, not spoke", "typed");
// What the live region says when a line settles.
const SAID = { tutor: gettext("Tutor: %(text)s"), learner: gettext("You: %(text)s") };
const NEAR_BOTTOM_PX = 80;

export class Transcript {
  constructor(list, { language, correctionStyle, announcer, empty, onCaption }) {
    this.list = list;
    this.onCaption = onCaption || (() => {});
    this.language = language;
    this.style = correctionStyle;
    this.announcer = announcer;
    this.empty = empty;
    this.drafts = { learner: null, tutor: null };
    this.incomplete = { learner: null, tutor: null };
    this.pendingCorrections = new Map(); // turn -> [correction] that arrived before the turn
    this.pinned = true;
    list.addEventListener("scroll", () => {
      this.pinned = list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
    });
    // Cards rendered by the server (a reloaded page) get the same word diff and folding; the
    // diff is the server's (data-diff), as in the live `correction` event.
    for (const old of list.querySelectorAll(".correction[data-original]")) {
      const diff = old.dataset.diff ? JSON.parse(old.dataset.diff) : undefined;
      old.replaceWith(this.card({ ...old.dataset, diff }));
    }
    for (const old of list.querySelectorAll(".upgrade[data-upgraded]")) {
      const diff = old.dataset.diff ? JSON.parse(old.dataset.diff) : undefined;
      old.replaceWith(upgradeCard(this, { ...old.dataset, diff }));
    }
    this.scroll(true); // a reloaded page opens on its latest lines
  }

  turnElement(speaker, text, { source = "speech", draft = false } = {}) {
    const item = el("li", `turn turn-${speaker}${draft ? " turn-draft" : ""}`);
    item.dataset.speaker = speaker;
    const who = el("p", "turn-who", WHO[speaker === "tutor" ? "tutor" : "learner"]);
    if (source === "typed") who.append(" ", el("span", "turn-typed", TYPED));
    const body = el("p", "turn-text", text);
    body.lang = this.language;
    item.append(who, body);
    if (draft) item.setAttribute("aria-hidden", "true"); // announced once it settles
    return item;
  }

  // A line in flight: the speaker's live caption shows `caption`, the line so far.
  draft(speaker, caption) {
    let draft = this.drafts[speaker];
    if (!draft) {
      draft = this.drafts[speaker] = this.turnElement(speaker, "", { draft: true });
      this.insert(draft);
    }
    draft.querySelector(".turn-text").textContent = caption;
    this.onCaption(speaker, caption, false);
    this.scroll();
  }

  // A final turn: the speaker's caption settles (or a new turn appears) with its sequence number.
  final({ speaker, text, turn, interrupted, source, amends }) {
    // A line completed by late transcription (`amends`) updates its own caption in place.
    const known = amends && turn != null && this.list.querySelector(`.turn[data-turn="${turn}"]`);
    if (known) {
      known.querySelector(".turn-text").textContent = text;
      this.onCaption(speaker, text, true);
      return known;
    }
    // A typed line settles its pending bubble; a spoken one, the speaker's live caption.
    let item = source === "typed" ? this.findPendingTyped(speaker, text) : this.drafts[speaker];
    if (source !== "typed") {
      item ||= this.continued(speaker, text);
      this.drafts[speaker] = this.incomplete[speaker] = null;
    }
    if (item) {
      item.querySelector(".turn-text").textContent = text;
      item.classList.remove("turn-draft", "turn-pending", "turn-incomplete");
      item.removeAttribute("aria-hidden");
      if (source === "typed" && !item.querySelector(".turn-typed")) {
        item.querySelector(".turn-who").append(" ", el("span", "turn-typed", TYPED));
      }
    } else {
      item = this.turnElement(speaker, text, { source });
      this.insert(item);
    }
    if (turn !== undefined && turn !== null) item.dataset.turn = String(turn);
    item.classList.toggle("turn-interrupted", Boolean(interrupted));
    this.announce(interpolate(SAID[speaker === "tutor" ? "tutor" : "learner"], { text }, true));
    this.onCaption(speaker, text, true);
    for (const correction of this.pendingCorrections.get(String(turn)) || []) {
      this.attach(item, correction);
    }
    this.pendingCorrections.delete(String(turn));
    this.scroll();
    return item;
  }

  // After a reconnection: captions whose final was sent while the socket was down stay as
  // they are, marked incomplete; a final that turns up later still replaces its own.
  settleDrafts() {
    for (const speaker of ["learner", "tutor"]) {
      const item = this.drafts[speaker];
      if (!item) continue;
      item.classList.replace("turn-draft", "turn-incomplete");
      item.removeAttribute("aria-hidden");
      this.incomplete[speaker] = item;
      this.drafts[speaker] = null;
    }
  }

  dropDraft(speaker) {
    if (this.drafts[speaker]) this.drafts[speaker].remove();
    this.drafts[speaker] = null;
  }

  continued(speaker, text) {
    const item = this.incomplete[speaker];
    const start = item && item.querySelector(".turn-text").textContent.trim();
    return start && text.startsWith(start) ? item : null;
  }

  // A typed line shown at once, settled when the server (or the HTTP reply) confirms it.
  pending(speaker, text) {
    const item = this.turnElement(speaker, text, { source: "typed" });
    item.classList.add("turn-pending");
    this.insert(item);
    this.scroll(true);
    return item;
  }

  findPendingTyped(speaker, text) {
    return [...this.list.querySelectorAll(`.turn-pending[data-speaker="${speaker}"]`)].find(
      (item) => item.querySelector(".turn-text").textContent === text,
    );
  }

  // Spoken learner lines go before the tutor's live caption: Gemini may finish the learner's
  // transcription after the tutor has started answering. Typed lines are in order already.
  insert(item) {
    const tutorDraft = this.drafts.tutor;
    const spoken = !item.classList.contains("turn-pending");
    if (spoken && item.dataset.speaker === "learner" && tutorDraft && tutorDraft !== item) {
      this.list.insertBefore(item, tutorDraft);
    } else {
      this.list.append(item);
    }
    if (this.empty) this.empty.hidden = true;
  }

  correction(correction) {
    const item = this.list.querySelector(`.turn-learner[data-turn="${correction.turn}"]`);
    if (item) {
      this.attach(item, correction);
      this.scroll();
      return;
    }
    const key = String(correction.turn);
    this.pendingCorrections.set(key, [...(this.pendingCorrections.get(key) || []), correction]);
  }

  attach(item, correction) {
    if (isUpgrade(correction)) {
      // One "say it better" per line: a repeat of the event (a resent frame) adds nothing.
      if (item.querySelector(".correction-upgrade")) return;
      item.append(upgradeCard(this, correction));
      if (this.style !== "none") this.announce(upgradeAnnouncement(correction));
      return;
    }
    item.append(this.card(correction));
    // "Don't correct me while I talk" holds for screen-reader users too: the card waits.
    if (this.style !== "none") {
      const said = gettext("Correction: %(corrected)s. %(explanation)s");
      const { corrected, explanation } = correction;
      this.announce(interpolate(said, { corrected, explanation: explanation || "" }, true));
    }
  }

  card({ original, corrected, explanation, kind, diff: sides }) {
    const label = KIND_LABELS[kind] || gettext("Correction");
    const diff = this.diff(sides || { said: [[original, false]], better: [[corrected, false]] });
    const why = explanation ? el("p", "correction-why", explanation) : null;
    if (this.style === "none") {
      // The learner asked not to be corrected while talking: the note waits, folded.
      const card = el("details", `correction correction-${kind} correction-later`);
      const summary = el("summary", "", interpolate(gettext("Noted for later · %(kind)s"), { kind: label }, true));
      card.append(summary, diff);
      if (why) card.append(why);
      return card;
    }
    const card = el("aside", `correction correction-${kind}`);
    card.setAttribute("aria-label", CARD_LABELS[kind] || gettext("Correction"));
    card.append(el("p", "correction-kind", label), diff);
    // "Repeat it correctly, without comment": the better version only; the review page keeps
    // the explanation for later.
    if (why && this.style === "explain") card.append(why);
    return card;
  }

  // The server's word diff (the review page's, lessons/text/worddiff.py), drawn as
  // "said → better" the way templates/lessons/learner/_diff.html draws it.
  diff({ said, better }) {
    const pair = el("p", "correction-diff correction-pair");
    const side = (cls, hidden, segments, tag) => {
      const span = el("span", cls);
      span.lang = this.language;
      span.append(el("span", "visually-hidden", hidden));
      for (const [text, changed] of segments) span.append(changed ? el(tag, "", text) : text);
      return span;
    };
    const arrow = el("span", "arrow", "→");
    arrow.setAttribute("aria-hidden", "true");
    // The hidden labels keep their trailing space outside the msgid.
    const saidLabel = gettext("You said:") + " ";
    const betterLabel = gettext("Better:") + " ";
    pair.append(side("said", saidLabel, said, "del"), arrow, side("better", betterLabel, better, "ins"));
    return pair;
  }

  announce(text) {
    if (!this.announcer) return;
    this.announcer.append(el("p", "", text));
    while (this.announcer.childElementCount > 6) this.announcer.firstElementChild.remove();
  }

  finals() {
    return [...this.list.querySelectorAll(".turn:not(.turn-draft):not(.turn-pending)")].map(
      (item) => ({
        speaker: item.dataset.speaker,
        text: item.querySelector(".turn-text").textContent,
        turn: item.dataset.turn === undefined ? null : Number(item.dataset.turn),
      }),
    );
  }

  // Follow new lines while the reader is at the bottom; stay put if they scrolled up to read.
  scroll(force = false) {
    if (force || this.pinned) this.list.scrollTop = this.list.scrollHeight;
  }
}
