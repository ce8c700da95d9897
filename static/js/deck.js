// The daily card review, by keyboard: Space or Enter shows the answer, 1–4 grade it.
// Without this file the page still works: <details> reveals, the grades are submit buttons,
// a typed answer is checked by a plain form post. Spoken answers are deck/spoken.js.
(() => {
  "use strict";
  const { gettext } = window; // the djangojs catalog (base.html loads it first)
  const deck = document.querySelector("[data-deck]");
  if (!deck) return;
  const reveal = deck.querySelector("[data-reveal]");
  const live = deck.querySelector("[data-live]");
  const form = deck.querySelector(".grade-form");
  let submitted = false;

  function announceAnswer() {
    const answer = deck.querySelector("[data-answer] .better, [data-answer] .flash-answer-text");
    const explanation = deck.querySelector("[data-answer] .explanation");
    const parts = [answer, explanation].filter(Boolean).map((el) => el.textContent.trim());
    // A correction's answer carries its own hidden "Better:" label; a phrase's does not.
    const label = answer && answer.classList.contains("better") ? "" : gettext("Answer:") + " ";
    live.textContent = parts.length ? label + parts.join(". ") : "";
  }

  function grade(rating) {
    const button = form.querySelector(`button[name="rating"][value="${rating}"]`);
    if (button && !submitted) form.requestSubmit(button);
  }

  let announced = false;
  function revealed() {
    if (announced) return; // Chromium also fires "toggle" for a <details open> it parsed
    announced = true;
    announceAnswer();
    // The suggested grade (Good, or what a checked answer suggests) takes the focus, so
    // Space / Enter a second time confirms it.
    form.querySelector("[data-default]").focus();
  }

  reveal.addEventListener("toggle", () => {
    if (reveal.open) revealed();
  });
  // A typed answer was checked: the page comes back with the answer shown.
  if (reveal.open) revealed();

  form.addEventListener("submit", (event) => {
    if (submitted) event.preventDefault(); // one grade per card, even on a double press
    submitted = true;
  });

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target instanceof Element ? event.target : document.body;
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    if ((event.key === " " || event.key === "Enter") && !reveal.open) {
      // A focused link, button or the <summary> itself already reacts to these keys.
      if (target.closest("a, button, summary")) return;
      event.preventDefault();
      reveal.open = true;
    } else if (/^[1-4]$/.test(event.key) && reveal.open) {
      event.preventDefault();
      grade(event.key);
    }
  });
})();
