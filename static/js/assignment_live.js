// Live view of one assignment for its teacher: who is in a conversation now, and the evidence
// table's status, speaking time, attempt counts, target phrases used and corrections, updated
// from /ws/assignments/<pk>/live/. Phrases and corrections come read back from the database
// with each stored line, note and end (lessons/selectors/evidence.py live_evidence): the cells
// are redrawn from them as the server renders them.
(() => {
  "use strict";

  const config = JSON.parse(document.getElementById("live-config").textContent);
  const panel = document.getElementById("live-panel");
  const list = panel.querySelector("[data-speaking-now]");
  const empty = list.querySelector("[data-empty]");
  const state = panel.querySelector("[data-live-state]");
  const tbody = document.querySelector(".evidence-table tbody");
  const due = new Date(config.dueAt);
  const needed = Math.max(1, config.minSeconds);
  const { gettext, interpolate, pgettext, l10n } = window; // the catalog and the formats (base.html)
  const LABELS = {
    not_started: pgettext("assignment status", "Not started"),
    in_progress: pgettext("assignment status", "In progress"),
    done: pgettext("assignment status", "Done"),
    late: pgettext("assignment status", "Late"),
  };
  // What a learner in a conversation is doing now, after their name.
  const TALKING = pgettext("what a learner is doing now", "talking");
  const DOING = {
    speaking: pgettext("what a learner is doing now", "speaking"),
    listening: pgettext("what a learner is doing now", "listening"),
    turn: TALKING,
    noted: TALKING,
    started: pgettext("what a learner is doing now", "starting"),
  };
  const FINAL_CODES = new Set([4401, 4403]);

  // Learner id -> seconds spoken so far in the conversation running now.
  const running = new Map(config.active.map((id) => [String(id), null]));
  let retryDelay = 1000;

  function rowOf(id) {
    return tbody ? tbody.querySelector(`tr[data-learner="${CSS.escape(id)}"]`) : null;
  }

  function setState(text, on) {
    state.textContent = text;
    panel.classList.toggle("live-on", on);
  }

  function chipOf(id) {
    return list.querySelector(`li[data-learner="${CSS.escape(id)}"]`);
  }

  function showSpeaker(id, name, kind) {
    let chip = chipOf(id);
    if (!chip) {
      chip = document.createElement("li");
      chip.dataset.learner = id;
      list.insertBefore(chip, empty);
    }
    const doing = DOING[kind] || TALKING;
    chip.textContent = interpolate(gettext("%(name)s · %(doing)s"), { name, doing }, true);
    chip.classList.toggle("is-speaking", kind === "speaking");
    empty.hidden = true;
  }

  function hideSpeaker(id) {
    const chip = chipOf(id);
    if (chip) chip.remove();
    empty.hidden = list.querySelectorAll("li[data-learner]").length > 0;
  }

  function statusFor(seconds, attempts) {
    if (new Date() >= due) return null; // past due: the server's verdict stands
    if (seconds >= needed) return "done";
    return attempts > 0 ? "in_progress" : "not_started";
  }

  function updateRow(id, liveSeconds, ended, isNew) {
    const row = rowOf(id);
    if (!row) return;
    const finished = parseFloat(row.dataset.finishedSeconds) || 0;
    const attempts = (parseInt(row.dataset.attempts, 10) || 0) + (isNew ? 1 : 0);
    const total = finished + liveSeconds;
    row.dataset.attempts = String(attempts);
    if (ended) row.dataset.finishedSeconds = String(total);
    row.querySelector("[data-live-badge]").hidden = ended;
    row.querySelector('[data-cell="minutes"]').textContent = interpolate(gettext("%(minutes)s min"), { minutes: l10n.decimal(total / 60, 1) }, true);
    row.querySelector('[data-cell="attempts"]').textContent = l10n.number(attempts);
    const status = statusFor(total, attempts);
    if (status && status !== row.dataset.status && row.dataset.status !== "done") {
      row.dataset.status = status;
      const badge = document.createElement("span");
      badge.className = `status status-${status}`;
      badge.textContent = LABELS[status];
      row.querySelector('[data-cell="status"]').replaceChildren(badge);
      recount();
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function transcriptHref(conversation, turn) {
    return `${config.transcriptUrl.replace(config.placeholder, conversation)}#turn-${turn}`;
  }

  // The same chips as templates/lessons/teacher/assignment.html draws.
  function phraseChip({ phrase, uses, conversation, turn, text }) {
    const chip = el("li", uses ? "chip chip-used" : "chip");
    const mark = el("span", "mark", uses ? "✓" : "–");
    mark.setAttribute("aria-hidden", "true");
    chip.append(mark);
    if (!uses) {
      chip.append(phrase, el("span", "visually-hidden", " " + gettext("(not used)")));
      return chip;
    }
    const link = el("a", "", phrase);
    link.href = transcriptHref(conversation, turn);
    link.title = text;
    chip.append(link);
    if (uses > 1) chip.append(" ", el("span", "muted", `×${l10n.number(uses)}`));
    return chip;
  }

  function showPhrases(row, phrases) {
    const cell = row.querySelector('[data-cell="phrases"]');
    if (!cell || !Array.isArray(phrases)) return;
    const used = phrases.filter((p) => p.uses > 0).length;
    const chips = el("ul", "chips");
    chips.append(...phrases.map(phraseChip));
    const counted = interpolate(gettext("%(used)s of %(total)s:"), { used: l10n.number(used), total: l10n.number(phrases.length) }, true);
    cell.replaceChildren(el("span", "visually-hidden", counted), chips);
  }

  function showCorrections(row, corrections) {
    const cell = row.querySelector('[data-cell="corrections"]');
    if (!cell || !Array.isArray(corrections)) return;
    const counted = corrections.filter(([, , count]) => count > 0);
    if (!counted.length) {
      cell.replaceChildren(el("span", "muted", pgettext("no corrections", "none")));
      return;
    }
    const chips = el("ul", "chips");
    chips.append(...counted.map(([, label, count]) => el("li", "chip chip-kind", `${label} ${l10n.number(count)}`)));
    cell.replaceChildren(chips);
  }

  function showEvidence(id, message) {
    const row = rowOf(id);
    if (!row) return;
    if (message.phrases) showPhrases(row, message.phrases);
    if (message.corrections) showCorrections(row, message.corrections);
  }

  function recount() {
    const counts = { not_started: 0, in_progress: 0, done: 0, late: 0 };
    tbody.querySelectorAll("tr[data-status]").forEach((row) => { counts[row.dataset.status] += 1; });
    document.querySelectorAll("[data-count]").forEach((el) => {
      el.textContent = l10n.number(counts[el.dataset.count] || 0);
    });
  }

  function onActivity(message) {
    const id = String(message.learner_id);
    const seconds = Number(message.speaking_seconds) || 0;
    showEvidence(id, message);
    if (message.kind === "ended") {
      if (!running.has(id)) return;
      running.delete(id);
      hideSpeaker(id);
      updateRow(id, seconds, true, false);
      return;
    }
    const isNew = !running.has(id); // first news of a conversation started after page load
    running.set(id, seconds);
    showSpeaker(id, message.learner_name, message.kind);
    updateRow(id, seconds, false, isNew);
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${window.location.host}${config.url}`);
    socket.addEventListener("open", () => {
      retryDelay = 1000;
      setState(pgettext("the live panel's state", "live"), true);
    });
    socket.addEventListener("message", (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.type === "activity") onActivity(message);
    });
    socket.addEventListener("close", (event) => {
      if (FINAL_CODES.has(event.code)) {
        setState(pgettext("the live panel's state", "not available"), false);
        return;
      }
      setState(pgettext("the live panel's state", "reconnecting…"), false);
      window.setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  connect();
})();
