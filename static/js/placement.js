// The placement result page: a placement that has just ended is assessed at once (the form
// posts itself once; without JavaScript the learner presses its button), and the button says
// what is happening while the tutor reads the transcript.
const { gettext } = window; // the djangojs catalog (base.html loads it first)
const form = document.getElementById("assess-form");
if (form) {
  form.addEventListener("submit", () => {
    const button = document.getElementById("assess-button");
    button.disabled = true;
    button.textContent = gettext("Working out your level…");
  });
  if (form.dataset.auto === "1") form.requestSubmit();
}
