// Beside the transcript: the target phrases the server ticks, the phrases the tutor noted, and
// the one notice at a time that says what stands in the way.

const { gettext, interpolate } = window; // the djangojs catalog (base.html loads it first)

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export class Targets {
  constructor(list, counter) {
    this.items = list ? [...list.querySelectorAll(".target")] : [];
    this.counter = counter;
  }

  // The server decides which phrases a line used (lessons/text/phrase_match.py) and sends
  // their indices; a tick is never taken back.
  mark(indices) {
    for (const index of indices) {
      const item = this.items[index];
      if (!item || item.classList.contains("used")) continue;
      item.classList.add("used");
      // As the template writes it: " — used", the dash and space outside the msgid.
      item.querySelector(".target-state").textContent = " — " + gettext("used");
    }
    const used = this.items.filter((item) => item.classList.contains("used")).length;
    const counted = { used: window.l10n.number(used), total: window.l10n.number(this.items.length) };
    if (this.counter) this.counter.textContent = interpolate(gettext("%(used)s of %(total)s"), counted, true);
    return used;
  }
}

export class Phrases {
  constructor(list, counter, empty, language) {
    Object.assign(this, { list, counter, empty, language });
    this.seen = new Set();
  }

  add({ text, translation }) {
    if (this.seen.has(text)) return;
    this.seen.add(text);
    const item = el("li", "phrase");
    const said = el("span", "phrase-text", text);
    said.lang = this.language;
    item.append(said);
    if (translation) item.append(el("span", "phrase-translation", translation));
    this.list.prepend(item);
    this.counter.textContent = window.l10n.number(this.seen.size);
    this.empty.hidden = true;
  }
}

// One notice at a time, with its way on: [{label, href} | {label, onClick, primary}].
export class Notice {
  constructor(box) {
    this.box = box;
    this.text = box.querySelector("#notice-text");
    this.actions = box.querySelector("#notice-actions");
    this.key = null;
  }

  show(key, tone, message, actions = []) {
    this.key = key;
    this.box.hidden = false;
    this.box.dataset.tone = tone;
    this.box.dataset.key = key;
    this.text.textContent = message;
    this.actions.replaceChildren(
      ...actions.map((action) => {
        const primary = action.primary ? "" : " button-secondary";
        const node = el(action.href ? "a" : "button", `button button-small${primary}`, action.label);
        if (action.href) node.href = action.href;
        else {
          node.type = "button";
          node.addEventListener("click", action.onClick);
        }
        return node;
      }),
    );
  }

  clear(key) {
    if (key && key !== this.key) return;
    this.key = null;
    this.box.hidden = true;
    delete this.box.dataset.key;
  }
}
