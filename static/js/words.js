// Tap a word: every word of a settled caption (tutor's or learner's) can be tapped, or reached
// with the keyboard, and explained: its dictionary form, meaning, part of speech and an
// example, with one button to add it to the deck. Used by the conversation page and the review
// page; the transcript list carries the endpoint in data-words-url (tutor/words.py).
//
// Captions are split with Intl.Segmenter (word granularity), so Japanese, written without
// spaces, splits by dictionary; the server checks each word again. Each line is one tab stop:
// Tab reaches its current word, the arrow keys (Home, End) move between its words, Enter or
// Space explains one. Words are plain spans, so a screen reader reads the line as a sentence;
// the explanation is announced through a live region and its buttons are the next tab stops.
// Escape closes it and puts the focus back on the word. The page's own scripts keep writing
// the captions (conversation/view.js); a MutationObserver wraps each line once it settles.

const { gettext, interpolate } = window; // the djangojs catalog (base.html loads it first)

const SETTLED = ".turn:not(.turn-draft):not(.turn-pending) .turn-text";
const WORD_FALLBACK = /\p{L}[\p{L}\p{M}\p{N}'’\-]*/gu;
const HAS_LETTER = /\p{L}/u;

const make = (tag, cls, text) => {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
};

function segments(text, language) {
  if (typeof Intl !== "undefined" && Intl.Segmenter) {
    const segmenter = new Intl.Segmenter(language, { granularity: "word" });
    // A number is word-like too, but there is nothing to explain (the server refuses it).
    return [...segmenter.segment(text)].map((s) => ({
      text: s.segment,
      word: Boolean(s.isWordLike) && HAS_LETTER.test(s.segment),
    }));
  }
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(WORD_FALLBACK)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index), word: false });
    parts.push({ text: match[0], word: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), word: false });
  return parts;
}

function csrfToken(list) {
  if (list.dataset.csrf) return list.dataset.csrf;
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

export class WordLookup {
  constructor(list) {
    this.list = list;
    this.url = list.dataset.wordsUrl;
    this.language = list.dataset.wordsLang || document.documentElement.lang;
    this.deckUrl = list.dataset.deckUrl || "";
    this.csrf = csrfToken(list);
    this.panel = null;
    this.current = null; // the word whose explanation is open
    this.request = 0;
    this.debug = window.tertuliaWords = { lookups: [], added: [], errors: [] };
    const help = gettext("Any word can be explained: Tab to a line, arrow keys to a word, then Enter.");
    this.help = make("p", "visually-hidden", help);
    this.help.id = "words-help";
    this.announcer = make("div", "visually-hidden");
    this.announcer.setAttribute("aria-live", "polite");
    list.before(this.help);
    list.after(this.announcer);
    list.classList.add("words-ready");
    list.addEventListener("click", (event) => this.clicked(event));
    list.addEventListener("keydown", (event) => this.key(event));
    this.wrapAll();
    new MutationObserver(() => this.wrapAll()).observe(list, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["class"],
    });
  }

  wrapAll() {
    for (const line of this.list.querySelectorAll(SETTLED)) {
      if (line.dataset.words !== line.textContent || !line.querySelector(".word")) this.wrap(line);
    }
  }

  // The line's text as spans (words) and text nodes (spaces, punctuation); same text as before.
  wrap(line) {
    const text = line.textContent;
    const language = line.lang || this.language;
    const parts = segments(text, language);
    const words = parts.filter((p) => p.word).length;
    line.dataset.words = text;
    if (!words) return;
    const fragment = document.createDocumentFragment();
    let first = true;
    for (const part of parts) {
      if (!part.word) {
        fragment.append(part.text);
        continue;
      }
      const word = make("span", "word", part.text);
      word.tabIndex = first ? 0 : -1;
      if (first) word.setAttribute("aria-describedby", "words-help");
      first = false;
      fragment.append(word);
    }
    line.replaceChildren(fragment);
    line.dataset.words = line.textContent;
  }

  clicked(event) {
    const word = event.target.closest(".word");
    if (word && this.list.contains(word)) {
      this.focusWord(word);
      this.open(word);
      return;
    }
    const button = event.target.closest("[data-word-close]");
    if (button) this.close(true);
  }

  key(event) {
    if (event.key === "Escape" && this.panel && !this.panel.hidden) {
      event.preventDefault();
      this.close(true);
      return;
    }
    const word = event.target.closest && event.target.closest(".word");
    if (!word) return;
    const words = [...word.parentElement.querySelectorAll(".word")];
    const at = words.indexOf(word);
    const moves = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: words.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      const next = words[Math.max(0, Math.min(words.length - 1, moves[event.key]))];
      this.focusWord(next);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      this.open(word);
    }
  }

  // Roving tabindex: the line's tab stop follows the word last focused.
  focusWord(word) {
    for (const other of word.parentElement.querySelectorAll(".word[tabindex='0']")) {
      other.tabIndex = -1;
      other.removeAttribute("aria-describedby");
    }
    word.tabIndex = 0;
    word.setAttribute("aria-describedby", "words-help");
    word.focus();
  }

  announce(text) {
    this.announcer.replaceChildren(make("p", "", text));
  }

  async open(word) {
    const line = word.closest(".turn-text");
    const turn = word.closest(".turn");
    const text = word.textContent;
    this.markOpen(word);
    const panel = this.showPanel(line, word);
    panel.replaceChildren(make("p", "word-status", interpolate(gettext("Looking up “%(word)s”…"), { word: text }, true)));
    this.announce(interpolate(gettext("Looking up %(word)s…"), { word: text }, true));
    const ticket = ++this.request;
    let data;
    let ok = false;
    try {
      const response = await fetch(this.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrf },
        credentials: "same-origin",
        body: JSON.stringify({
          word: text,
          sentence: line.textContent,
          turn: turn && turn.dataset.turn !== undefined ? Number(turn.dataset.turn) : null,
        }),
      });
      data = await response.json().catch(() => ({}));
      ok = response.ok;
    } catch {
      data = {};
    }
    if (ticket !== this.request) return; // another word was opened meanwhile
    if (!ok) {
      // The server's message is already in the learner's language.
      const message =
        data.message || gettext("This word cannot be explained right now. Check your connection and try again.");
      this.debug.errors.push({ word: text, message });
      this.failed(panel, message);
      return;
    }
    this.debug.lookups.push({ word: text, lemma: data.lemma, cached: data.cached });
    this.explain(panel, data);
  }

  markOpen(word) {
    if (this.current) this.current.classList.remove("word-open");
    this.current = word;
    word.classList.add("word-open");
  }

  showPanel(line, word) {
    if (!this.panel) {
      this.panel = make("section", "word-panel");
      this.panel.id = "word-panel";
      this.panel.setAttribute("aria-label", gettext("Word explanation"));
    }
    line.after(this.panel);
    this.panel.hidden = false;
    word.setAttribute("aria-controls", "word-panel");
    return this.panel;
  }

  explain(panel, data) {
    const language = data.language || this.language;
    const head = make("p", "word-head");
    // The word as tapped, then its dictionary form when that differs ("estás → estar").
    if (data.word && data.word.toLocaleLowerCase() !== data.lemma.toLocaleLowerCase()) {
      const form = make("span", "word-form", data.word);
      form.lang = language;
      const arrow = make("span", "word-arrow", " → ");
      arrow.setAttribute("aria-hidden", "true");
      head.append(form, make("span", "visually-hidden", ", " + gettext("dictionary form:") + " "), arrow);
    }
    const lemma = make("strong", "word-lemma", data.lemma);
    lemma.lang = language;
    head.append(lemma, " ", make("span", "word-pos", data.pos));
    const meaning = make("p", "word-meaning", data.meaning);
    const parts = [head, meaning];
    if (data.example) {
      const example = make("p", "word-example");
      const quote = make("span", "", data.example);
      quote.lang = language;
      example.append(make("span", "visually-hidden", gettext("Example:") + " "), quote);
      parts.push(example);
    }
    const actions = make("div", "word-actions");
    const status = make("p", "word-status");
    let hint = gettext("Tab to the buttons, Escape to close.");
    if (data.addUrl) {
      const add = make("button", "button button-small", data.inDeck ? gettext("In your deck") : gettext("Add to deck"));
      add.type = "button";
      add.dataset.wordAdd = "";
      add.disabled = Boolean(data.inDeck);
      add.addEventListener("click", () => this.add(add, status, data));
      actions.append(add);
      hint = data.inDeck
        ? gettext("Already in your deck. Escape to close.")
        : gettext("Tab to Add to deck, Escape to close.");
    } else if (data.signupUrl) {
      const signup = make("a", "button button-small", gettext("Sign up to keep words"));
      signup.href = data.signupUrl;
      actions.append(signup);
      hint = gettext("Sign up (it's free) to keep words in a deck. Escape to close.");
    }
    const close = make("button", "button button-secondary button-small", gettext("Close"));
    close.type = "button";
    close.dataset.wordClose = "";
    actions.append(close);
    panel.replaceChildren(...parts, actions, status);
    // The word, its dictionary form, part of speech, meaning and example are the server's.
    const said = data.example
      ? gettext("%(word)s: %(lemma)s, %(pos)s. %(meaning)s. Example: %(example)s. %(hint)s")
      : gettext("%(word)s: %(lemma)s, %(pos)s. %(meaning)s. %(hint)s");
    const values = { word: data.word, lemma: data.lemma, pos: data.pos, meaning: data.meaning };
    this.announce(interpolate(said, { ...values, example: data.example, hint }, true));
  }

  failed(panel, message) {
    const close = make("button", "button button-secondary button-small", gettext("Close"));
    close.type = "button";
    close.dataset.wordClose = "";
    const actions = make("div", "word-actions");
    actions.append(close);
    panel.replaceChildren(make("p", "word-status word-error", message), actions);
    this.announce(message);
  }

  async add(button, status, data) {
    button.disabled = true;
    status.textContent = gettext("Adding…");
    let body = {};
    let ok = false;
    try {
      const response = await fetch(data.addUrl, {
        method: "POST",
        headers: { "X-CSRFToken": this.csrf },
        credentials: "same-origin",
      });
      body = await response.json().catch(() => ({}));
      ok = response.ok;
    } catch {
      body = {};
    }
    if (!ok) {
      button.disabled = false;
      status.textContent = body.message || gettext("The word could not be added. Try again.");
      status.classList.add("word-error");
      this.announce(status.textContent);
      return;
    }
    this.debug.added.push({ card: body.card, created: body.created });
    button.textContent = gettext("In your deck");
    status.classList.remove("word-error");
    status.replaceChildren(body.message);
    if (body.deckUrl) {
      const link = make("a", "", gettext("See your deck"));
      link.href = body.deckUrl;
      status.append(" ", link);
    }
    this.announce(body.message);
    status.querySelector("a")?.focus();
  }

  close(refocus) {
    if (!this.panel || this.panel.hidden) return;
    this.panel.hidden = true;
    this.request++; // an answer still on its way is not shown
    const word = this.current;
    if (word) word.classList.remove("word-open");
    this.current = null;
    if (refocus && word && word.isConnected) word.focus();
  }
}

const list = document.querySelector("[data-words-url]");
if (list) new WordLookup(list);
